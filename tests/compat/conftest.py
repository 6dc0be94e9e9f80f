"""Builders for Phase 11 / Phase 12 tree pairs written into `tmp_path`."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from flake8_phase12.compat import BreakingChange, CompatReport, check_compat
from flake8_phase12.config import config_from_mapping

Files = dict[str, str]


def write_tree(root: Path, files: Files) -> Path:
    """Write `files` (relative path -> source, dedented) under `root`; returns `root`."""
    root.mkdir(parents=True, exist_ok=True)
    for relative, source in files.items():
        file = root / relative
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(textwrap.dedent(source).lstrip("\n"), encoding="utf-8")
    return root


@pytest.fixture
def make_tree(tmp_path: Path) -> Callable[[str, Files], Path]:
    def make(name: str, files: Files) -> Path:
        return write_tree(tmp_path / name, files)

    return make


@pytest.fixture
def compat_report(tmp_path: Path) -> Callable[..., CompatReport]:
    """Write a Phase 11 and a Phase 12 tree and compare them (the old one as a directory)."""

    def run(old: Files, new: Files, **table: object) -> CompatReport:
        old_root = write_tree(tmp_path / "phase11", old)
        new_root = write_tree(tmp_path / "phase12", new)
        config = config_from_mapping(dict(table), project_root=new_root)
        return check_compat(new_root, config, against=str(old_root))

    return run


@pytest.fixture
def compat_changes(compat_report: Callable[..., CompatReport]) -> Callable[..., list[BreakingChange]]:
    def run(old: Files, new: Files, **table: object) -> list[BreakingChange]:
        return compat_report(old, new, **table).changes

    return run


@pytest.fixture
def compat_summary(compat_changes: Callable[..., list[BreakingChange]]
                   ) -> Callable[..., list[tuple[str, str, str]]]:
    """(code, kind, object path) of each change, sorted, for compact assertions."""

    def run(old: Files, new: Files, **table: object) -> list[tuple[str, str, str]]:
        changes = compat_changes(old, new, **table)
        return sorted((change.code, change.kind, change.object_path) for change in changes)

    return run
