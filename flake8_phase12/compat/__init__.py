"""Checklist §8, Phase 11 compatibility: compare the Phase 11 public surface with the working tree.

The old surface comes from a git ref, a directory or a snapshot file (`phase12 snapshot`); the
new one from the files on disk. Both are read statically (griffe without inspection, plus our
own `ast` pass): the analysed code is never imported or run.

Public API:

- `check_compat(project_root, config, against=None) -> CompatReport`: the whole check, as the
  `phase12 compat` and `phase12 audit` commands run it.
- `load_surface(project_root, config)`, `write_snapshot(surface, file)`, `read_snapshot(file)`:
  what `phase12 snapshot` does, and its inverse.
- `compare_surfaces(old, new)`: the comparison alone, on two `Surface` objects.

The names are imported on first use (PEP 562): the rule catalog imports `compat.rules`, the
records of GOV801-GOV809, and importing this package must not load griffe for it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from flake8_phase12.config import ConfigError
from flake8_phase12.config.model import Config

if TYPE_CHECKING:  # for type checkers and readers: at run time, `__getattr__` imports them
    from flake8_phase12.compat.diff import compare_surfaces
    from flake8_phase12.compat.model import ApiObject, Param, Route, Surface
    from flake8_phase12.compat.report import BreakingChange, CompatReport
    from flake8_phase12.compat.snapshot import (
        SNAPSHOT_FORMAT_VERSION,
        dumps_snapshot,
        read_snapshot,
        write_snapshot,
    )
    from flake8_phase12.compat.sources import load_against

__all__ = [
    "SNAPSHOT_FORMAT_VERSION",
    "ApiObject",
    "BreakingChange",
    "CompatReport",
    "Param",
    "Route",
    "Surface",
    "check_compat",
    "compare_surfaces",
    "dumps_snapshot",
    "load_against",
    "load_surface",
    "read_snapshot",
    "write_snapshot",
]


def __getattr__(name: str) -> object:
    """A public name of the package's modules, imported on first use."""
    if name in __all__:
        from flake8_phase12.compat import diff, model, report, snapshot, sources

        for module in (diff, model, report, snapshot, sources):
            if name in vars(module):
                return vars(module)[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def load_surface(project_root: Path, config: Config, *, skip_unparsable: bool = False) -> Surface:
    """The public surface of the working tree at `project_root` (what a snapshot saves)."""
    from flake8_phase12.compat.extract import load_surface as extract_surface

    return extract_surface(Path(project_root), config, origin="working tree", strict=True,
                           skip_unparsable=skip_unparsable)


def check_compat(project_root: Path, config: Config, against: str | None = None, *,
                 skip_unparsable: bool = False) -> CompatReport:
    """Every breaking change from the Phase 11 surface `against` to the tree at `project_root`.

    `against` defaults to `config.compat.against`; relative paths in it are relative to
    `project_root`. Raises `ConfigError` (one-line message) when either side cannot be read;
    a working-tree file that does not parse is only a warning with `skip_unparsable` (the audit
    reports it as GOV001).
    """
    from flake8_phase12.compat.diff import compare_surfaces
    from flake8_phase12.compat.report import BreakingChange, CompatReport
    from flake8_phase12.compat.sources import NO_SOURCE, load_against

    root = Path(project_root).resolve()
    reference = against if against is not None else config.compat.against
    if not reference or not reference.strip():
        raise ConfigError(NO_SOURCE)
    new = load_surface(root, config, skip_unparsable=skip_unparsable)
    old = load_against(reference, root, config)
    if not any(obj.kind == "module" for obj in old.objects.values()):
        paths = ", ".join(config.compat.paths)
        raise ConfigError(f"the Phase 11 source {reference!r} has no Python modules under compat.paths "
                          f"({paths}): nothing to compare against")
    changes, warnings = compare_surfaces(old, new)
    return CompatReport(
        against=reference,
        project_root=str(root),
        changes=[BreakingChange.from_change(change) for change in changes],
        warnings=[*old.warnings, *new.warnings, *warnings],
    )
