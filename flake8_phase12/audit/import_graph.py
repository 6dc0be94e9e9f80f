"""The import graph of the contracts' root packages, built by grimp without running the project.

grimp finds a root package with `importlib.util.find_spec`, which imports the parents of a dotted
name (`server.app` runs `server/__init__.py`), and it reads every module file it finds, so one
file it cannot parse stops the whole graph. The audit hands grimp, for the duration of one build,
its own package and module finders through grimp's ports (`grimp.application.config.settings`,
where grimp's own adapters are plugged in):

- package directories are found as the import system finds them, one name at a time (a regular
  package or module first, else the namespace portions), by looking at the directories, never by
  importing: the project root and `src/` first (as `lint-imports` puts its working directory
  first), then the environment;
- the files the configuration excludes are left out of the graph, and so are those that cannot
  be read or parsed: the contracts are checked on the rest, and the caller reports those files
  (GOV001 when Python cannot parse them either, an error when they cannot be read).
"""

from __future__ import annotations

import dataclasses
import errno
import importlib.util
import os
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flake8_phase12.audit.files import unreadable_directory
from flake8_phase12.model.roots import source_roots

# grimp's ports are module state: one build at a time swaps them.
_PORTS_LOCK = threading.Lock()
# Each file grimp cannot read costs one more build; beyond this many, the graph is given up.
MAX_LEFT_OUT = 50
_UNDECODABLE = re.compile(r"Failed to decode file (?P<path>.+?) as UTF-8")


class GraphError(Exception):
    """The graph cannot be built; `str()` is one line."""


@dataclass(frozen=True)
class ImportGraph:
    """grimp's graph, where each root package lives, and what was left out of it."""
    graph: Any
    package_dirs: dict[str, list[Path]]
    # Files grimp could not read (path -> its reason), left out of the graph.
    left_out: dict[Path, str]
    # Directories and files that cannot be read at all: one error line each.
    unreadable: list[str]


def find_package(name: str, project_root: Path) -> list[Path]:
    """The directories of package `name`, found without importing it or its parents.

    Like grimp, a dotted name must lie in namespace packages: a parent with an `__init__.py`
    makes it no root package (grimp's `NotATopLevelModule`)."""
    top, *rest = name.split(".")
    # The project root and src/ as lint-imports run from the root sees them, then the source
    # roots the project's own tools name (pytest's pythonpath, setuptools' package-dir, ...).
    directories = list(dict.fromkeys(directory.resolve() for directory in [
        project_root, project_root / "src", *source_roots(project_root)]))
    found = _package_in(directories, top) or _installed_package(top)
    current = top
    for part in rest:
        if found is None:
            break
        locations, regular = found
        if regular:
            raise GraphError(f"root package '{name}' is inside the package '{current}', which has "
                             f"an __init__.py: name '{current}' (or a package of a namespace "
                             f"package) as the root package")
        current = f"{current}.{part}"
        found = _package_in(locations, part)
    if found is None:
        raise GraphError(f"root package '{name}' not found in {project_root} (nor in src/, the "
                         f"source roots its pyproject.toml names or the environment); "
                         f"root_packages must name packages of the project")
    return [location.resolve() for location in found[0]]


def _package_in(directories: list[Path], name: str) -> tuple[list[Path], bool] | None:
    """(directories, is regular) of package `name` as the import system finds it in
    `directories`: the first regular package or module wins, else every namespace portion;
    None when it is no package there."""
    portions: list[Path] = []
    for directory in directories:
        candidate = directory / name
        if (candidate / "__init__.py").is_file():
            return [candidate], True
        if (directory / f"{name}.py").is_file():
            return None  # a module of that name comes first: no package
        if candidate.is_dir():
            portions.append(candidate)
    return (portions, False) if portions else None


def _installed_package(top: str) -> tuple[list[Path], bool] | None:
    # A top-level name is only looked up, never executed, by `find_spec` (an installed package,
    # an editable install's finder).
    try:
        spec = importlib.util.find_spec(top)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return ([Path(location) for location in spec.submodule_search_locations],
            spec.origin not in (None, "namespace"))


def build_import_graph(roots: list[str], project_root: Path, *, include_external_packages: bool,
                       exclude_type_checking_imports: bool,
                       excluded: Callable[[Path], bool]) -> ImportGraph:
    """grimp's graph of `roots` without the files `excluded` names or grimp cannot read."""
    import grimp

    package_dirs = {root: find_package(root, project_root) for root in roots}
    left_out: dict[Path, str] = {}
    unreadable: list[str] = []
    while True:
        unreadable.clear()
        finder = _ModuleFinder(lambda path: excluded(path) or path in left_out, unreadable)
        try:
            with _ports(package_dirs, finder):
                graph = grimp.build_graph(
                    *roots, include_external_packages=include_external_packages,
                    exclude_type_checking_imports=exclude_type_checking_imports, cache_dir=None)
        except (grimp.exceptions.SourceSyntaxError, UnicodeError, OSError) as exc:
            path, reason = _unreadable_by_grimp(exc)
            if path is None or path in left_out or len(left_out) >= MAX_LEFT_OUT:
                raise GraphError(f"cannot build the import graph of {', '.join(roots)}: "
                                 f"{_one_line(exc)}") from None
            left_out[path] = reason
            continue
        return ImportGraph(graph, package_dirs, left_out, list(dict.fromkeys(unreadable)))


def _unreadable_by_grimp(exc: BaseException) -> tuple[Path | None, str]:
    """The file grimp failed on, and why, from its exception (None when it does not say)."""
    filename = getattr(exc, "filename", None)
    if filename and getattr(exc, "lineno", None) is not None:
        return Path(filename).resolve(), f"syntax error (line {exc.lineno})"  # type: ignore[attr-defined]
    if filename:
        return Path(filename).resolve(), _one_line(exc)
    match = _UNDECODABLE.search(str(exc))
    if match:
        return Path(match["path"]).resolve(), "not UTF-8 text, the only encoding grimp reads"
    return None, ""


@contextmanager
def _ports(package_dirs: dict[str, list[Path]], finder: _ModuleFinder) -> Iterator[None]:
    from grimp.application.config import settings

    with _PORTS_LOCK:
        saved = {name: getattr(settings, name) for name in ("PACKAGE_FINDER", "MODULE_FINDER")}
        finder.inner = saved["MODULE_FINDER"]
        settings.configure(PACKAGE_FINDER=_PackageFinder(package_dirs), MODULE_FINDER=finder)
        try:
            yield
        finally:
            settings.configure(**saved)


class _PackageFinder:
    """grimp's package finder port: the directories `find_package` found, nothing imported."""

    def __init__(self, package_dirs: dict[str, list[Path]]) -> None:
        self.package_dirs = package_dirs

    def determine_package_directories(self, package_name: str, file_system: Any) -> set[str]:
        del file_system  # the port's signature; the directories are known already
        return {str(directory) for directory in self.package_dirs[package_name]}


class _ModuleFinder:
    """grimp's module finder port: grimp's own, minus the files left out, and reporting the
    directories and files it cannot read (grimp's walk passes over them in silence)."""

    def __init__(self, excluded: Callable[[Path], bool], unreadable: list[str]) -> None:
        self.inner: Any = None
        self.excluded = excluded
        self.unreadable = unreadable

    def find_package(self, package_name: str, package_directory: str, file_system: Any) -> Any:
        found = self.inner.find_package(package_name=package_name,
                                        package_directory=package_directory,
                                        file_system=_Walking(file_system, self))
        kept = frozenset(module_file for module_file in found.module_files
                         if self._kept(module_file.module.name, package_name, package_directory))
        return dataclasses.replace(found, module_files=kept)

    def _kept(self, module: str, package_name: str, package_directory: str) -> bool:
        path = module_file(module, package_name, Path(package_directory))
        if path is None or self.excluded(path):
            return False
        if not os.access(path, os.R_OK):
            self.unreadable.append(f"{path}: cannot read it ({os.strerror(errno.EACCES)})")
            return False
        return True


class _Walking:
    """A grimp file system whose walk skips the excluded directories and reports unreadable
    ones; everything else is grimp's."""

    def __init__(self, inner: Any, finder: _ModuleFinder) -> None:
        self._inner = inner
        self._finder = finder

    def walk(self, directory_name: str) -> Iterator[tuple[str, list[str], list[str]]]:
        def cannot_list(exc: OSError) -> None:
            self._finder.unreadable.append(
                unreadable_directory(Path(exc.filename or directory_name), exc))

        for current, directories, files in os.walk(directory_name, followlinks=True,
                                                   onerror=cannot_list):
            directories[:] = [name for name in directories
                              if not self._finder.excluded(Path(current, name))]
            yield current, directories, files

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def module_file(module: str, package_name: str, package_directory: Path) -> Path | None:
    """The file of `module` in the package at `package_directory` (None when there is none)."""
    if module == package_name:
        candidates = [package_directory / "__init__.py"]
    else:
        base = package_directory.joinpath(*module[len(package_name) + 1:].split("."))
        candidates = [base.with_suffix(".py"), base / "__init__.py"]
    return next((candidate for candidate in candidates if candidate.is_file()), None)


def _one_line(value: object) -> str:
    text = str(value).strip() or type(value).__name__
    return " ".join(line.strip() for line in text.splitlines() if line.strip())[:500]
