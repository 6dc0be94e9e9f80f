"""Finding and reading `[tool.phase12]`, with one-line errors for every user mistake.

Discovery walks up from the linted file (not the working directory, which in an editor is
whatever the client chose) to the nearest `pyproject.toml` that has a `[tool.phase12]` table.
Results are cached per directory, so flake8 pays for discovery once per directory, not per file.
"""

from __future__ import annotations

import os
import sys
import types
import typing
from functools import lru_cache
from pathlib import Path
from typing import Any

from flake8_phase12.config import cache
from flake8_phase12.config.model import (
    INTEGER_RANGES,
    INTERNAL_FIELDS,
    TARGET_LISTS,
    TOML_ALIASES,
    Config,
    StringListTable,
    is_table,
    parse_target,
)

PYPROJECT = "pyproject.toml"
TABLE = "phase12"
# The [tool] settings of other tools that name the project's source roots (`model.roots`).
SOURCE_ROOT_SETTINGS = (
    ("pytest", "ini_options", "pythonpath"),
    ("setuptools", "package-dir"),
    ("setuptools", "packages", "find", "where"),
    ("hatch", "build", "targets", "wheel", "packages"),
    ("hatch", "build", "targets", "wheel", "sources"),
    ("pdm", "build", "package-dir"),
    ("poetry", "packages"),
    ("importlinter", "root_packages"),
)


class ConfigError(Exception):
    """A user mistake in the configuration; `str()` is the one-line message to show."""


def load_config(path: str | Path | None = None, *, start: str | Path | None = None) -> Config:
    """Read the configuration from an explicit file, or discover it from `start`.

    `path` may be a `pyproject.toml` (its `[tool.phase12]` table is read) or any TOML file
    whose top level, or `[tool.phase12]` table, holds the keys.
    """
    if path is not None:
        return _load_file(Path(path).resolve(), explicit=True)
    directory = Path(start) if start is not None else Path.cwd()
    if directory.suffix == ".py" or directory.is_file():
        directory = directory.parent
    return _discover(os.path.abspath(directory))


def config_for_file(filename: str) -> Config:
    """The configuration that governs `filename`: cheap, cached per directory."""
    return _discover(os.path.dirname(os.path.abspath(filename)))


def discover_pyproject(directory: Path) -> Path | None:
    """The nearest `pyproject.toml` with a `[tool.phase12]` table at or above `directory`."""
    for candidate in (directory, *directory.parents):
        pyproject = candidate / PYPROJECT
        if pyproject.is_file() and _has_table(pyproject):
            return pyproject
    return None


@lru_cache(maxsize=512)
def _discover(directory: str) -> Config:
    resolved = Path(directory).resolve()
    pyproject = discover_pyproject(resolved)
    if pyproject is None:
        return Config(project_root=_nearest_project_root(resolved))
    return _load_file(pyproject, explicit=False)


def _nearest_project_root(directory: Path) -> Path:
    for candidate in (directory, *directory.parents):
        if (candidate / PYPROJECT).is_file() or (candidate / ".git").exists():
            return candidate
    return directory


@lru_cache(maxsize=64)
def _has_table(pyproject: Path) -> bool:
    # Cheap text test first: most pyproject files on the way up do not mention us at all.
    try:
        data = pyproject.read_bytes()
    except FileNotFoundError:
        return False  # gone since `is_file()`: nothing there to configure anything
    except OSError:
        # Unreadable (permissions, a read error): it may hold [tool.phase12], so `_load_file`
        # reports it rather than the defaults silently taking its place.
        return True
    if b"phase12" not in data:
        return False
    try:
        return TABLE in _tool_table(_document(pyproject), pyproject)
    except ConfigError:
        # Not valid TOML (or not UTF-8), yet it mentions us: `_load_file` says so in one line
        # rather than the configuration being silently ignored.
        return True


@lru_cache(maxsize=64)
def _load_file(file: Path, *, explicit: bool) -> Config:
    document = _document(file)
    table = _tool_table(document, file).get(TABLE)
    if table is None:
        if explicit and file.name != PYPROJECT:
            table = document
        elif explicit:
            raise ConfigError(f"{file}: no [tool.{TABLE}] table in this file")
        else:
            table = {}
    if not isinstance(table, dict):
        raise ConfigError(f"{file}: [tool.{TABLE}] must be a table")
    values = _build(Config, table, file, prefix="tool.phase12")
    return values._replace(project_root=file.parent, source=str(file))


@lru_cache(maxsize=64)
def _document(file: Path) -> dict[str, Any]:
    """The parsed TOML file (of a `pyproject.toml`, only its [tool.phase12] table), read once
    however many directories discovery passes through, and parsed only when the disk cache does
    not hold these exact bytes (see `config.cache`)."""
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{file}: configuration file not found") from None
    except OSError as exc:
        raise ConfigError(f"{file}: cannot read configuration ({exc.strerror})") from None
    cached = cache.load(str(file), data)
    if cached is not None:
        return cached
    try:
        # Universal newlines, as the file was read in text mode before the cache.
        text = data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{file}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    document = _stored_part(_parse(text, file), file)
    cache.store(str(file), data, document)
    return document


@lru_cache(maxsize=16)
def source_root_settings(file: Path, *, stored: bool = True) -> dict[str, Any]:
    """Of a `pyproject.toml`, the other tools' settings that name the project's source roots
    (`SOURCE_ROOT_SETTINGS`, read by `model.roots`), through the disk cache like [tool.phase12]:
    the project model's first question in an editor run parses no TOML. Without `stored` (a
    tree unpacked for one comparison), the file is parsed and nothing is written to the cache.
    {} when the file cannot be read or parsed (the configuration itself reports a broken file
    in one line)."""
    try:
        if stored:
            return _document(file)
        text = file.read_bytes().decode("utf-8")
        return _stored_part(_parse(text, file), file)
    except (ConfigError, OSError, UnicodeDecodeError):
        return {}


def _stored_part(document: dict[str, Any], file: Path) -> dict[str, Any]:
    """What the plugin needs of the document: of a `pyproject.toml`, its [tool.phase12] table
    and the settings that name source roots (the cache then holds these, not a copy of the
    project's metadata)."""
    if file.name != PYPROJECT:
        return document
    tool = _tool_table(document, file)
    kept: dict[str, Any] = {TABLE: tool[TABLE]} if TABLE in tool else {}
    for keys in SOURCE_ROOT_SETTINGS:
        value: Any = tool
        for key in keys:
            value = value.get(key) if isinstance(value, dict) else None
        if value is not None:
            table = kept
            for key in keys[:-1]:
                table = table.setdefault(key, {})
            table[keys[-1]] = value
    return {"tool": kept} if kept else {}


def _tool_table(document: dict[str, Any], file: Path) -> dict[str, Any]:
    """The document's `[tool]` table; `tool = 5` is valid TOML but no configuration."""
    tool = document.get("tool", {})
    if not isinstance(tool, dict):
        raise ConfigError(f"{file}: 'tool' must be a table, got {_describe(tool)}")
    return tool


def _parse(text: str, file: Path) -> dict[str, Any]:
    # Imported here: a project without a [tool.phase12] table never needs a TOML parser.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{file}: invalid TOML: {exc}") from None
    except RecursionError:
        # Valid TOML, but nested deeper than the parser's recursion (a 5,000-deep array).
        raise ConfigError(f"{file}: cannot read this TOML: its values are nested too deeply") from None


def config_from_mapping(table: dict[str, Any], *, source: str = "<mapping>",
                        project_root: Path | None = None) -> Config:
    """Build a configuration from an already-parsed `[tool.phase12]` table (tests, adapters)."""
    values = _build(Config, table, Path(source), prefix="tool.phase12")
    return values._replace(project_root=project_root or Path.cwd(), source=source)


def _build(cls: type, table: dict[str, Any], file: Path, prefix: str) -> Any:
    hints = field_types(cls)
    # `_field_defaults` is the records' public API, named as `namedtuple`'s.
    defaults = cls._field_defaults  # pylint: disable=protected-access
    known = {name: default for name, default in defaults.items()
             if name not in INTERNAL_FIELDS}
    toml_names = {_toml_name(name): name for name in known}
    values: dict[str, Any] = {}
    for raw_key, raw_value in table.items():
        key = str(raw_key).replace("-", "_")
        name = TOML_ALIASES.get(key, key)
        if name not in known:
            raise ConfigError(_unknown_key_message(file, prefix, str(raw_key), list(toml_names)))
        location = f"{prefix}.{raw_key}"
        values[name] = _convert(hints[name], raw_value, file, location)
        default = known[name]
        if is_table(default) and isinstance(raw_value, dict):
            values[name] = _overlay(default, values[name], raw_value)
    return cls(**values)


def field_types(cls: type) -> dict[str, Any]:
    """The fields' types. The model's annotations are already evaluated (it does not use
    `from __future__ import annotations`), so they are read as they are: `typing.get_type_hints`
    cost more than the rest of loading a configuration."""
    annotations = cls.__dict__.get("__annotations__", {})
    if any(isinstance(hint, str) for hint in annotations.values()):
        return typing.get_type_hints(cls)
    return annotations


def _overlay(default: Any, built: Any, table: dict[str, Any]) -> Any:
    """A partial table overrides only the keys it names; the others keep the field's own default
    (`[tool.phase12.services.job_management] entry_methods = [...]` keeps its class and module)."""
    names = {TOML_ALIASES.get(str(key).replace("-", "_"), str(key).replace("-", "_")) for key in table}
    return default._replace(**{name: getattr(built, name) for name in names})


def _toml_name(field_name: str) -> str:
    reverse = {value: key for key, value in TOML_ALIASES.items()}
    return reverse.get(field_name, field_name)


def _unknown_key_message(file: Path, prefix: str, key: str, valid: list[str]) -> str:
    import difflib  # only on this error path: not worth its import on every flake8 start

    close = difflib.get_close_matches(key.replace("-", "_"), valid, n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else f"; valid keys: {', '.join(sorted(valid))}"
    return f"{file}: unknown key '{prefix}.{key}'{hint}"


def _convert(hint: Any, value: Any, file: Path, location: str) -> Any:
    if is_table(hint):
        if not isinstance(value, dict):
            raise ConfigError(f"{file}: '{location}' must be a table, got {_describe(value)}")
        return _build(hint, value, file, location)
    if hint == StringListTable:
        pairs = _string_list_table(value, file, location)
        for key, _ in pairs:
            module, _, name = key.partition(":")
            if not module or not name:
                raise ConfigError(f"{file}: '{location}.\"{key}\"': write the executor as "
                                  f"\"module:function\" or \"module:Class.method\"")
        return pairs
    if hint is str:
        if not isinstance(value, str):
            raise ConfigError(f"{file}: '{location}' must be a string, got {_describe(value)}")
        return value
    if hint is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{file}: '{location}' must be true or false, got {_describe(value)}")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{file}: '{location}' must be an integer, got {_describe(value)}")
        low, high = INTEGER_RANGES.get(location.removeprefix("tool.phase12.").replace("-", "_"),
                                       (None, None))
        if low is not None and high is not None and not low <= value <= high:
            raise ConfigError(f"{file}: '{location}' must be between {low} and {high}, got {value}")
        return value
    if typing.get_origin(hint) is tuple:
        # A lone string is a mistake, not a one-item list: `execution_methods = "tag"` would
        # otherwise read as ("tag",) and silently govern the wrong names.
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise ConfigError(f"{file}: '{location}' must be a list of strings, got {_describe(value)}")
        if location.removeprefix("tool.phase12.").replace("-", "_") in TARGET_LISTS:
            _check_targets(value, file, location)
        return tuple(value)
    if isinstance(hint, types.UnionType):  # pragma: no cover - no such fields yet
        raise TypeError(f"unsupported configuration type {hint}")
    raise TypeError(f"unsupported configuration type {hint}")  # pragma: no cover - programming error


def _check_targets(items: list[str], file: Path, location: str) -> None:
    for item in items:
        if parse_target(item) is None:
            raise ConfigError(f"{file}: '{location}' must list runners as \"module:function\" "
                              f"or \"module:Class.method\" (\"module:outer.<locals>.inner\" for a "
                              f"nested function), got {item!r}")


def _string_list_table(value: Any, file: Path, location: str) -> StringListTable:
    """A table whose every value is a list of strings, as sorted (key, values) pairs."""
    if not isinstance(value, dict):
        raise ConfigError(f"{file}: '{location}' must be a table of lists of strings, "
                          f"got {_describe(value)}")
    pairs = []
    for key, items in value.items():
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            raise ConfigError(f"{file}: '{location}.\"{key}\"' must be a list of strings, "
                              f"got {_describe(items)}")
        pairs.append((str(key), tuple(items)))
    return tuple(sorted(pairs))


def _describe(value: Any) -> str:
    names = {bool: "a boolean", int: "an integer", float: "a number", str: "a string",
             list: "a list", dict: "a table"}
    kind = names.get(type(value), type(value).__name__)
    if isinstance(value, list) and value and not all(isinstance(item, str) for item in value):
        return "a list with non-string items"
    return f"{kind} ({value!r})" if not isinstance(value, (list, dict)) else kind


def clear_caches() -> None:
    """Forget discovered configurations (for long-lived processes and tests)."""
    _discover.cache_clear()
    _load_file.cache_clear()
    _has_table.cache_clear()
    _document.cache_clear()
    source_root_settings.cache_clear()
