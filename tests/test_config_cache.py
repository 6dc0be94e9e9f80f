"""The disk cache of parsed configuration files (`flake8_phase12.config.cache`): it spares
flake8 the TOML parser when `pyproject.toml` has not changed, and never serves anything else."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from flake8_phase12.config import ConfigError, clear_caches, load_config
from flake8_phase12.config import cache


@pytest.fixture(autouse=True)
def cache_directory(tmp_path, monkeypatch):
    directory = tmp_path / "cache"
    monkeypatch.setenv("PHASE12_CACHE_DIR", str(directory))
    monkeypatch.delenv("PHASE12_NO_CACHE", raising=False)
    clear_caches()
    yield directory
    clear_caches()


def project(tmp_path: Path, table: str) -> Path:
    root = tmp_path / "project"
    root.mkdir(exist_ok=True)
    (root / "pyproject.toml").write_text(f"[tool.phase12]\n{table}\n", encoding="utf-8")
    return root


def load(root: Path):
    clear_caches()  # a new flake8 process: only the disk cache survives
    return load_config(start=root / "module.py")


def test_the_second_start_reads_the_cache_without_a_toml_parser(tmp_path, cache_directory):
    root = project(tmp_path, "execution_methods = ['go']")
    assert load(root).execution_methods == ("go",)
    assert len(list(cache_directory.iterdir())) == 1
    script = ("import sys; from flake8_phase12.config import load_config; "
              f"config = load_config(start={str(root / 'module.py')!r}); "
              "print(config.execution_methods, 'tomllib' in sys.modules)")
    output = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True, env={**os.environ}).stdout
    assert output.strip() == "('go',) False"


def test_a_changed_file_is_parsed_again_even_with_the_same_size_and_time(tmp_path):
    root = project(tmp_path, "execution_methods = ['go']")
    pyproject = root / "pyproject.toml"
    stat = pyproject.stat()
    assert load(root).execution_methods == ("go",)
    pyproject.write_text("[tool.phase12]\nexecution_methods = ['do']\n", encoding="utf-8")
    os.utime(pyproject, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert load(root).execution_methods == ("do",)


@pytest.mark.parametrize("garbage", [b"", b"not marshal data", b"\xe3\x00\x00"])
def test_a_corrupt_entry_is_ignored(tmp_path, cache_directory, garbage):
    root = project(tmp_path, "execution_methods = ['go']")
    load(root)
    (entry,) = cache_directory.iterdir()
    entry.write_bytes(garbage)
    assert load(root).execution_methods == ("go",)


def test_an_entry_of_another_file_is_ignored(tmp_path, cache_directory):
    root = project(tmp_path, "execution_methods = ['go']")
    pyproject = str(root / "pyproject.toml")
    data = (root / "pyproject.toml").read_bytes()
    cache.store("/elsewhere/pyproject.toml", data, {"tool": {"phase12": {"execution_methods": ["x"]}}})
    os.replace(cache.entry_path(str(cache_directory), "/elsewhere/pyproject.toml"),
               cache.entry_path(str(cache_directory), pyproject))
    assert load(root).execution_methods == ("go",)


def test_an_unwritable_cache_directory_only_means_no_cache(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("PHASE12_CACHE_DIR", str(blocker / "cache"))
    root = project(tmp_path, "execution_methods = ['go']")
    assert load(root).execution_methods == ("go",)
    assert load(root).execution_methods == ("go",)


def test_the_cache_can_be_turned_off(tmp_path, cache_directory, monkeypatch):
    monkeypatch.setenv("PHASE12_NO_CACHE", "1")
    root = project(tmp_path, "execution_methods = ['go']")
    assert load(root).execution_methods == ("go",)
    assert not cache_directory.exists()


def test_a_document_marshal_cannot_store_is_parsed_every_time(tmp_path, cache_directory):
    root = project(tmp_path, "execution_methods = ['go']\n[project]\nreleased = 2026-11-24")
    assert load(root).execution_methods == ("go",)
    assert load(root).execution_methods == ("go",)
    assert not cache_directory.exists() or not list(cache_directory.iterdir())


def test_errors_are_never_cached(tmp_path):
    root = project(tmp_path, "execution_methods = [")
    for _ in range(2):
        with pytest.raises(ConfigError, match="invalid TOML"):
            load(root)
    (root / "pyproject.toml").write_text("[tool.phase12]\nexecution_methods = 3\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(ConfigError, match="must be a list of strings"):
            load(root)
