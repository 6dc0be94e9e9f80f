"""Shared helpers for the `phase12 audit` tests: copies of the example codebases and tiny projects."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]
EXAMPLES = REPOSITORY / "examples"
VENV_BIN = str(Path(sys.executable).parent)


def copy_examples(destination: Path) -> Path:
    """Copy the three example codebases side by side (compat compares with ../phase11)."""
    for name in ("phase11", "compliant", "violating"):
        shutil.copytree(EXAMPLES / name, destination / name,
                        ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
    return destination


@pytest.fixture(scope="session")
def examples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One read-only copy of the examples for the whole session (tests must not modify it)."""
    return copy_examples(tmp_path_factory.mktemp("examples"))


def write_project(root: Path, files: dict[str, str]) -> Path:
    """Write a small project: {relative path: source (dedented)}."""
    for relative, text in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


def run_phase12(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """The `phase12` command as a user runs it, with this environment's Python first on PATH."""
    environment = dict(os.environ, PATH=VENV_BIN + os.pathsep + os.environ.get("PATH", ""))
    environment.pop("NO_COLOR", None)
    environment.update(env or {})
    return subprocess.run([sys.executable, "-m", "flake8_phase12", *args], cwd=cwd,
                          capture_output=True, text=True, env=environment, check=False,
                          stdin=subprocess.DEVNULL)
