"""Finding the top-level modules and packages of a tree, without importing anything.

A search root is one of `config.compat.paths` below the project root; with the default (`.`),
the source roots the project's own tools name (pytest's `pythonpath`, setuptools' `where`,
`src/`, ...: `model.roots`), so modules keep the names the code imports them by (`ledger.desk`,
not `service.ledger.desk`), and the project root itself. Under it, every
`*.py` file is a top-level module, every directory with an `__init__.py` a package, and every
other directory that holds Python files somewhere below it a namespace package (PEP 420). A
`src/` directory without `__init__.py` is a search root of its own (the src layout), so its
packages keep their import names.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from flake8_phase12.analysis.context import path_excluded
from flake8_phase12.model.roots import source_roots

# Never API: tests, tooling state and build output.
SKIPPED_DIRECTORIES = frozenset({
    "tests", "test", "__pycache__", "build", "dist", "node_modules", "site-packages",
    "venv", "env", "__pypackages__", "htmlcov",
})
# Directories that are namespace packages only by accident: documentation and scripts beside
# the code. A real package of that name (with `__init__.py`) is still API.
SKIPPED_NAMESPACE_DIRECTORIES = frozenset({"docs", "doc", "examples", "scripts", "benchmarks", "tools"})
SKIPPED_FILES = frozenset({"setup.py", "conftest.py", "noxfile.py", "fabfile.py", "manage.py"})


@dataclass(frozen=True)
class TopLevel:
    """One importable top-level name and the search root it is found in."""

    name: str
    search_root: Path


def find_top_levels(project_root: Path, paths: tuple[str, ...], excludes: tuple[str, ...],
                    *, require_paths: bool, stored: bool = True) -> list[TopLevel]:
    """The top-level modules and packages under each of `paths`, sorted by name.

    `require_paths` makes a missing path an error (the working tree: a typo in the
    configuration); in an old tree a path may legitimately not exist yet. `stored`: whether the
    source-root settings read may be kept in the configuration's disk cache (not for a tree
    unpacked for one comparison).
    """
    found: dict[str, TopLevel] = {}
    search = [project_root / relative for relative in paths or (".",)]
    if tuple(paths) in ((), (".",)):
        search = source_roots(project_root, stored=stored)
    # A source root below another is searched on its own, never as a namespace package of it.
    others = {directory.resolve() for directory in search}
    for directory in search:
        root = directory.resolve()
        if not root.is_dir():
            if require_paths:
                from flake8_phase12.config import ConfigError

                raise ConfigError(f"compat.paths entry {directory.relative_to(project_root).as_posix()!r} "
                                  f"is not a directory under {project_root}")
            continue
        for top in _top_levels_in(root, project_root.resolve(), excludes, others - {root}):
            found.setdefault(top.name, top)
    return [found[name] for name in sorted(found)]


def _top_levels_in(root: Path, project_root: Path, excludes: tuple[str, ...],
                   skipped: frozenset[Path] | set[Path] = frozenset()) -> list[TopLevel]:
    tops: list[TopLevel] = []
    for entry in sorted(root.iterdir(), key=lambda item: item.name):
        if _excluded(entry, project_root, excludes):
            continue
        if entry.is_file():
            if entry.suffix == ".py" and entry.stem.isidentifier() and entry.name not in SKIPPED_FILES:
                tops.append(TopLevel(entry.stem, root))
            continue
        if not entry.is_dir() or not entry.name.isidentifier() or _is_skipped_directory(entry):
            continue
        if skipped and any(other == entry.resolve() or entry.resolve() in other.parents
                           for other in skipped):
            continue  # a source root of its own, searched as such
        if entry.name == "src" and not (entry / "__init__.py").exists():
            tops.extend(_top_levels_in(entry, project_root, excludes))
        elif (entry / "__init__.py").exists():
            tops.append(TopLevel(entry.name, root))
        elif entry.name not in SKIPPED_NAMESPACE_DIRECTORIES and _holds_python(entry, project_root, excludes):
            tops.append(TopLevel(entry.name, root))
    return tops


def namespace_subpackages(package: Path, project_root: Path, excludes: tuple[str, ...]
                          ) -> list[tuple[tuple[str, ...], Path]]:
    """The folders without `__init__.py` inside the regular package at `package` (below its
    regular subpackages too) that hold Python modules: namespace subpackages, each with its
    dotted parts relative to the package, outermost first."""
    found: list[tuple[tuple[str, ...], Path]] = []
    pending: list[tuple[tuple[str, ...], Path]] = [((), package)]
    while pending:
        parts, directory = pending.pop()
        try:
            children = sorted(directory.iterdir())
        except OSError:
            continue  # unreadable: the audit reports the folder itself
        for child in children:
            try:
                if not child.is_dir() or not child.name.isidentifier() or _is_skipped_directory(child) \
                        or _excluded(child, project_root, excludes):
                    continue
                if (child / "__init__.py").exists():
                    pending.append(((*parts, child.name), child))
                elif child.name not in SKIPPED_NAMESPACE_DIRECTORIES \
                        and _holds_python(child, project_root, excludes):
                    found.append(((*parts, child.name), child))
            except OSError:
                continue
    return sorted(found)


def _is_skipped_directory(directory: Path) -> bool:
    name = directory.name
    return (
        name.startswith((".", "__"))  # hidden directories, __pycache__, __pypackages__
        or name in SKIPPED_DIRECTORIES
        or name.endswith(".egg-info")
        or (directory / "pyvenv.cfg").exists()  # a virtualenv, whatever its name
    )


def _holds_python(directory: Path, project_root: Path, excludes: tuple[str, ...]) -> bool:
    for child in directory.iterdir():
        if _excluded(child, project_root, excludes):
            continue
        if child.is_file() and child.suffix in (".py", ".pyi"):
            return True
        if (child.is_dir() and child.name.isidentifier() and not _is_skipped_directory(child)
                and _holds_python(child, project_root, excludes)):
            return True
    return False


def _excluded(entry: Path, project_root: Path, excludes: tuple[str, ...]) -> bool:
    try:
        relative = PurePosixPath(entry.resolve().relative_to(project_root).as_posix())
    except ValueError:
        relative = PurePosixPath(entry.name)
    return path_excluded(relative, excludes)


def is_skipped_module_file(relative: PurePosixPath, excludes: tuple[str, ...]) -> bool:
    """Whether a module file found inside a package is left out (tests inside the package)."""
    if path_excluded(relative, excludes):
        return True
    return any(part in SKIPPED_DIRECTORIES or (part.startswith(".") and part not in (".", ".."))
               for part in relative.parts[:-1])
