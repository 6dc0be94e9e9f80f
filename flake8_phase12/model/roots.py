"""Where a project's importable code starts: its source roots, found as its own tools find them.

A module's name in the model is the name the code imports it by (`ledger.runner.invoke`), so the
model needs the directories imports start from. They are read, in this order, from:

- `[tool.pytest.ini_options] pythonpath` (what the project's tests put on `sys.path`);
- setuptools' `package-dir` (`"" = "lib"`) and `packages.find.where`;
- hatch's `[tool.hatch.build.targets.wheel] packages`/`sources`, pdm's `package-dir`, poetry's
  `packages = [{include, from}]`;
- import-linter's `root_packages` (each names a package; its parent directory is a root);
- a `src/` directory that is not itself a package;
- the folders that hold the packages the code's own absolute imports name (`import ledger`
  with `service/ledger/__init__.py` makes `service` a root);
- the project root itself, always last.

Nothing is imported and nothing is executed: this reads TOML and INI text and lists directories.
"""

from __future__ import annotations

import configparser
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from flake8_phase12.config.loader import source_root_settings

# Larger files are generated code, not modules the model reads.
MAX_FILE_BYTES = 2_000_000
SKIPPED_DIRECTORIES = frozenset({
    "__pycache__", "node_modules", "build", "dist", "site-packages", "venv", "env", ".venv",
    "htmlcov", "__pypackages__", ".git", ".tox", ".nox", ".mypy_cache", ".pytest_cache",
})


def read_pyproject(root: Path, *, stored: bool = True) -> dict[str, Any]:
    """What the project's `pyproject.toml` says of source roots, as a dict, through the
    configuration's caches (in memory, and on disk unless `stored` is false); {} when absent or
    broken (the configuration loader reports a broken file; the model only loses the roots it
    would have named)."""
    path = root / "pyproject.toml"
    return source_root_settings(path, stored=stored) if path.is_file() else {}


def _table(document: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(document, dict):
            return None
        document = document.get(key)
    return document


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return []


def configured_roots(root: Path, pyproject: dict[str, Any]) -> Iterator[tuple[Path, str]]:
    """(directory, the setting that names it) for every root a packaging or test tool declares."""
    tool = _table(pyproject, "tool") or {}
    for entry in _strings(_table(tool, "pytest", "ini_options", "pythonpath")):
        yield root / entry, "[tool.pytest.ini_options] pythonpath"
    package_dir = _table(tool, "setuptools", "package-dir")
    if isinstance(package_dir, dict) and isinstance(package_dir.get(""), str):
        yield root / package_dir[""], "[tool.setuptools] package-dir"
    for entry in _strings(_table(tool, "setuptools", "packages", "find", "where")):
        yield root / entry, "[tool.setuptools.packages.find] where"
    wheel = _table(tool, "hatch", "build", "targets", "wheel") or {}
    for entry in _strings(_table(wheel, "packages")):
        yield (root / entry).parent, "[tool.hatch.build.targets.wheel] packages"
    sources = _table(wheel, "sources")
    for entry in (sources if isinstance(sources, list) else list(sources or {})):
        if isinstance(entry, str):
            yield root / entry, "[tool.hatch.build.targets.wheel] sources"
    pdm_dir = _table(tool, "pdm", "build", "package-dir")
    if isinstance(pdm_dir, str):
        yield root / pdm_dir, "[tool.pdm.build] package-dir"
    for package in _table(tool, "poetry", "packages") or []:
        if isinstance(package, dict) and isinstance(package.get("from"), str):
            yield root / package["from"], "[tool.poetry] packages from"
    for package in _strings(_table(tool, "importlinter", "root_packages")) + _setup_cfg_root_packages(root):
        found = package_parent(root, package)
        if found is not None:
            yield found, "import-linter root_packages"


def _setup_cfg_root_packages(root: Path) -> list[str]:
    names: list[str] = []
    for name in ("setup.cfg", ".importlinter"):
        if not (root / name).is_file():
            continue
        parser = configparser.ConfigParser()
        try:
            parser.read(root / name, encoding="utf-8")
        except (configparser.Error, UnicodeDecodeError, OSError):
            continue
        if parser.has_section("importlinter"):
            for key in ("root_packages", "root_package"):
                value = parser.get("importlinter", key, fallback="")
                names.extend(line.strip() for line in value.splitlines() if line.strip())
    return names


def package_parent(root: Path, package: str, depth: int = 3) -> Path | None:
    """The directory holding the (possibly dotted) package `package`: the root, or a folder at
    most `depth` levels below it (outside virtual environments, build and hidden folders)."""
    parts = package.split(".")
    level = [root]
    for _ in range(depth + 1):
        for base in level:
            if base.joinpath(*parts).is_dir():
                return base
        level = [child for base in level for child in _children(base)]
    return None


def top_level_names(roots: list[Path]) -> set[str]:
    """The names importable at the top of these roots: packages and modules (one listing each)."""
    names: set[str] = set()
    for root in roots:
        try:
            entries = list(os.scandir(root))
        except OSError:
            continue
        for entry in entries:
            name = entry.name[:-3] if entry.name.endswith(".py") else entry.name
            if name.isidentifier() and (entry.name.endswith(".py") or entry.is_dir()):
                names.add(name)
    return names


def package_folders(root: Path, depth: int = 3) -> dict[str, Path]:
    """Every folder at most `depth` levels below `root` (virtual environments, build and hidden
    folders aside), by name -> the folder holding it, shallowest first: where a package the code
    imports may live. One walk, for all the names a run asks about."""
    found: dict[str, Path] = {}
    level = [root]
    for _ in range(depth + 1):
        following = []
        for base in level:
            for child in _children(base):
                if child.name.isidentifier():
                    found.setdefault(child.name, base)
                following.append(child)
        level = following
    return found


def _children(root: Path) -> list[Path]:
    try:
        return sorted(entry for entry in root.iterdir()
                      if entry.is_dir() and entry.name not in SKIPPED_DIRECTORIES
                      and not entry.name.startswith(".") and not entry.name.endswith(".egg-info"))
    except OSError:
        return []


def source_roots(root: Path, pyproject: dict[str, Any] | None = None,
                 imported_packages: Iterable[str] = (), *, stored: bool = True) -> list[Path]:
    """The project's source roots, most specific first, the project root last; each once.
    `stored`: whether the settings read may be kept in the configuration's disk cache."""
    root = root.resolve()
    document = read_pyproject(root, stored=stored) if pyproject is None else pyproject
    found: list[Path] = []

    def add(directory: Path) -> None:
        directory = directory.resolve()
        if directory.is_dir() and directory not in found and (directory == root or root in directory.parents):
            found.append(directory)

    for directory, _ in configured_roots(root, document):
        add(directory)
    src = root / "src"
    if src.is_dir() and not (src / "__init__.py").exists():
        add(src)
    for package in imported_packages:
        parent = package_parent(root, package)
        if parent is not None:
            add(parent)
    found = [directory for directory in found if directory != root]
    return [*found, root]


def module_name(path: Path, roots: list[Path]) -> str:
    """The import name of a file below one of `roots` (the first, most specific, that holds it);
    '' when none does. The path as given first (resolving links costs a system call per part of
    the path, on every editor run), then with its links resolved."""
    absolute = Path(os.path.abspath(path))
    return _name_below(absolute, roots) or _name_below(path.resolve(), roots)


def _name_below(path: Path, roots: list[Path]) -> str:
    for root in roots:
        try:
            relative = path.relative_to(root)
        except ValueError:
            continue
        parts = list(relative.parts)
        if not parts or not parts[-1].endswith((".py", ".pyi")):
            continue
        parts[-1] = parts[-1].rsplit(".", 1)[0]
        if parts[-1] == "__init__":
            parts.pop()
        if parts and all(part.isidentifier() for part in parts):
            return ".".join(parts)
    return ""


def module_file(name: str, roots: list[Path]) -> Path | None:
    """The file that defines the module `name` under the first root that has it."""
    parts = name.split(".")
    for root in roots:
        base = root.joinpath(*parts)
        for candidate in (base.with_suffix(".py"), base / "__init__.py"):
            if candidate.is_file():
                return candidate
    return None


def python_files(root: Path, skip: Iterable[str] = ()) -> Iterator[Path]:
    """Every `.py` file below `root`, outside hidden, virtual-environment and build folders."""
    skipped = SKIPPED_DIRECTORIES | set(skip)
    for current, directories, files in os.walk(root):
        directories[:] = sorted(name for name in directories
                                if name not in skipped and not name.startswith(".")
                                and not name.endswith(".egg-info"))
        for name in sorted(files):
            if name.endswith(".py"):
                yield Path(current) / name
