"""Where `phase12` writes what it is asked to (`-o FILE`, the baseline), checked before any work:
a directory, a place that cannot be written or one of the project's own configuration files is
one error line (exit 2), not a traceback after the work, nor a lost file."""

from __future__ import annotations

import os
from pathlib import Path

from flake8_phase12.atomic import WriteError
from flake8_phase12.baseline import DEFAULT_BASELINE, baseline_path
from flake8_phase12.config import Config

# The files that configure a project and its tools; a report written over one would lose it.
PROJECT_CONFIGURATION = ("pyproject.toml", "setup.cfg", "tox.ini", ".flake8", ".importlinter",
                         ".pylintrc", "pylintrc", ".pre-commit-config.yaml")


def checked_output(output: str, config: Config, *, baseline: bool = False) -> Path:
    """`output` as a path to write, or a `WriteError` saying why it cannot be one. `baseline`:
    the output is the baseline, which may replace the project's baseline file."""
    path = Path(output).expanduser()
    target = Path(os.path.realpath(path))
    protected = configuration_files(config, include_baselines=not baseline)
    if target in protected:
        raise WriteError(f"{output}: is the project's own configuration ({target.name}); write "
                         f"to another file")
    if target.is_dir():
        raise WriteError(f"{output}: is a directory; give the path of a file")
    directory = target.parent
    if not baseline and not directory.is_dir():
        raise WriteError(f"{output}: cannot write it (no directory {directory})")
    writable = (not directory.exists() or os.access(directory, os.W_OK | os.X_OK)) and \
        (not target.exists() or os.access(target, os.W_OK))
    if not writable:
        raise WriteError(f"{output}: cannot write it (permission denied)")
    return path


def configuration_files(config: Config, *, include_baselines: bool) -> set[Path]:
    root = Path(config.project_root).resolve()
    files = {Path(os.path.realpath(root / name)) for name in PROJECT_CONFIGURATION}
    if not config.source.startswith("<"):
        files.add(Path(os.path.realpath(config.source)))
    if include_baselines:
        files.add(Path(os.path.realpath(root / DEFAULT_BASELINE)))
        files.add(Path(os.path.realpath(baseline_path(root, config.baseline))))
    return files


def inside_project(path: Path, config: Config) -> Path:
    """`path` when it lies in the project; a `WriteError` otherwise (a baseline records the
    project's files by their paths in it, and belongs with them)."""
    root = Path(config.project_root).resolve()
    target = Path(os.path.realpath(path))
    if target != root and root not in target.parents:
        raise WriteError(f"{path}: outside the project ({root}); keep the baseline in the "
                         f"project it records")
    return path
