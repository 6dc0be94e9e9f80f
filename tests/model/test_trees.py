"""The parsed tree of a project module (`model.trees`), shared by the readers of another module's
definitions (`model.api`, `model.envelope`): parsed once while the file is unchanged."""

from __future__ import annotations

import os

import pytest

from flake8_phase12.model import trees


@pytest.fixture(autouse=True)
def no_kept_trees(monkeypatch):
    monkeypatch.setattr(trees, "_TREES", {})


def test_a_module_is_found_under_the_roots_and_parsed_once(tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("", encoding="utf-8")
    errors = tmp_path / "app" / "errors.py"
    errors.write_text("def fail(error):\n    raise error\n", encoding="utf-8")
    found = trees.module_tree("app.errors", [tmp_path])
    assert found is not None and found[0] == errors and found[1].body[0].name == "fail"
    assert trees.module_tree("app.errors", [tmp_path])[1] is found[1]  # kept, not parsed again
    assert trees.module_tree("app", [tmp_path])[0] == tmp_path / "app" / "__init__.py"
    assert trees.module_tree("app.missing", [tmp_path]) is None


def test_a_changed_file_is_parsed_again_and_replaces_its_tree(tmp_path):
    module = tmp_path / "helpers.py"
    module.write_text("def old(): ...\n", encoding="utf-8")
    first = trees.parsed(module)
    module.write_text("def renamed(): ...\n", encoding="utf-8")
    os.utime(module, ns=(1, 1))  # another modification time even on a coarse clock
    second = trees.parsed(module)
    assert [node.name for node in second.body] == ["renamed"] and second is not first
    assert len(trees._TREES) == 1


def test_unreadable_files_are_none_and_the_kept_trees_are_bounded(tmp_path, monkeypatch):
    broken = tmp_path / "broken.py"
    broken.write_text("def (:\n", encoding="utf-8")
    assert trees.parsed(broken) is None and trees.parsed(tmp_path / "gone.py") is None
    monkeypatch.setattr(trees, "MAX_FILE_BYTES", 10)
    large = tmp_path / "large.py"
    large.write_text("VALUE = 'more than ten bytes'\n", encoding="utf-8")
    assert trees.parsed(large) is None
    for index in range(trees.MAX_TREES + 5):
        (tmp_path / f"m{index}.py").write_text(f"X = {index}\n", encoding="utf-8")
        assert trees.parsed(tmp_path / f"m{index}.py") is not None
    assert len(trees._TREES) == trees.MAX_TREES
