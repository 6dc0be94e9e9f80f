"""Where to show a finding's file from: the terminal's directory, or the repository root.

Findings hold paths relative to the project root. A terminal user wants them relative to the
current directory (clickable, copy-pasteable); GitHub code scanning and workflow annotations
want them relative to the repository root, which may lie above the project root.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from flake8_phase12.audit.model import AuditResult


def repository_root(start: Path) -> Path:
    """The nearest directory at or above `start` with a `.git`, else `start` itself."""
    start = start.resolve()
    for candidate in (start, *start.parents):
        if (candidate / ".git").exists():
            return candidate
    return start


def relative_to(path: str, project_root: str | Path, base: Path) -> str:
    """`path` (relative to the project root) as seen from `base`; absolute if not below it."""
    absolute = Path(project_root) / path
    try:
        return absolute.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return absolute.as_posix()


def for_terminal(path: str, project_root: str | Path) -> str:
    """Relative to the working directory when possible (`../x` never), else absolute."""
    absolute = (Path(project_root) / path).resolve()
    try:
        return absolute.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(absolute) if os.sep == "/" else absolute.as_posix()


def fallback_artifact(result: AuditResult, root: Path) -> str | None:
    """Where project-wide findings (a missing test, the test command) are shown in code scanning
    and annotations, which need a file: the configuration file, relative to `root`."""
    source = Path(result.config_source)
    candidates = [source] if source.is_file() else []
    candidates.append(Path(result.project_root) / "pyproject.toml")
    for candidate in candidates:
        if candidate.is_file():
            try:
                return candidate.resolve().relative_to(root.resolve()).as_posix()
            except ValueError:
                continue
    return None
