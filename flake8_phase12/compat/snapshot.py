"""The snapshot file: a Phase 11 surface saved as JSON, so CI can compare without git history.

Format (version 2), also described by `snapshot.schema.json` beside this module::

    {
      "format": "phase12-compat-snapshot",
      "format_version": 2,
      "generator": "flake8-phase12 0.1.0",
      "plugin_bases": ["app.plugins.base.BasePlugin"],
      "objects": [
        {"path": "app.plugins.base.BasePlugin.run", "kind": "function", "file": "app/plugins/base.py",
         "line": 12, "parameters": [{"name": "payload", "kind": "positional or keyword"}],
         "labels": ["abstractmethod"]},
        ...
      ],
      "routes": [
        {"method": "POST", "path": "/analyze", "handler": "app.api.analyze.analyze",
         "file": "app/api/analyze.py", "line": 20, "shapes": [["plugin", "result"]]}
      ]
    }

Objects are sorted by path and routes by path, method and handler, one record per line, so a
snapshot kept in the repository diffs line by line. Optional record fields are omitted when
empty: `public` (default true), `parameters` (callables only; a parameter's `default` and
`annotation` are source text, absent when there is none), `labels`, `bases`, `has_value`,
`annotation` (attributes),
`raises`, `shapes` (functions and routes: the key sets of returned dict literals; absent when
none is returned), `returns` (functions: the return annotation; routes: the declared response
type, `response_model=` or the handler's annotation), `aliases` (fields: their names on the
wire, `validation_alias=plugin`), `target` (the path an alias points to). Version 2 added
`returns` and `aliases`; a version 1 snapshot is read as one whose records declare no type and
whose fields' wire names are unknown.

`format_version` changes whenever a reader of the old version would misread the new one; this
reader accepts exactly the versions in `SUPPORTED_VERSIONS` and asks for a new snapshot
otherwise.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from flake8_phase12 import __version__
from flake8_phase12.compat.model import (
    OBJECT_KINDS,
    PARAMETER_KINDS,
    UNKNOWN_ALIASES,
    ApiObject,
    Param,
    Route,
    Surface,
)
from flake8_phase12.atomic import write_file
from flake8_phase12.config import ConfigError

SNAPSHOT_FORMAT = "phase12-compat-snapshot"
SNAPSHOT_FORMAT_VERSION = 2
SUPPORTED_VERSIONS = frozenset({1, 2})
SCHEMA_PATH = Path(__file__).with_name("snapshot.schema.json")


def surface_to_dict(surface: Surface) -> dict[str, Any]:
    return {
        "format": SNAPSHOT_FORMAT,
        "format_version": SNAPSHOT_FORMAT_VERSION,
        "generator": f"flake8-phase12 {__version__}",
        "plugin_bases": sorted(surface.plugin_bases),
        "objects": [_object_record(surface.objects[path]) for path in sorted(surface.objects)],
        "routes": [_route_record(route) for route in
                   sorted(surface.routes, key=lambda route: (route.path, route.method, route.handler))],
    }


def dumps_snapshot(surface: Surface) -> str:
    """The snapshot text: pretty at the top level, one compact line per record."""
    data = surface_to_dict(surface)
    lines = ["{"]
    for key in ("format", "format_version", "generator", "plugin_bases"):
        lines.append(f"  {json.dumps(key)}: {json.dumps(data[key])},")
    for key in ("objects", "routes"):
        records = data[key]
        closing = "," if key == "objects" else ""
        if not records:
            lines.append(f"  {json.dumps(key)}: []{closing}")
            continue
        lines.append(f"  {json.dumps(key)}: [")
        lines.extend(f"    {json.dumps(record, ensure_ascii=False)}{',' if index < len(records) - 1 else ''}"
                     for index, record in enumerate(records))
        lines.append(f"  ]{closing}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def write_snapshot(surface: Surface, file: Path) -> None:
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"{file}: cannot write snapshot ({exc.strerror or exc})") from None
    write_file(file, dumps_snapshot(surface))


def read_snapshot(file: Path) -> Surface:
    """The surface saved in `file`; a `ConfigError` with a one-line reason if it is not usable."""
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{file}: snapshot file not found") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{file}: not a snapshot (not UTF-8 text)") from None
    except OSError as exc:
        raise ConfigError(f"{file}: cannot read snapshot ({exc.strerror or exc})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{file}: not a snapshot: invalid JSON at line {exc.lineno} column {exc.colno} "
                          f"({exc.msg})") from None
    return surface_from_dict(data, source=str(file))


def surface_from_dict(data: Any, *, source: str = "<snapshot>") -> Surface:
    if not isinstance(data, dict) or data.get("format") != SNAPSHOT_FORMAT:
        raise ConfigError(f"{source}: not a phase12 snapshot (no \"format\": \"{SNAPSHOT_FORMAT}\"); "
                          "make one with `phase12 snapshot`")
    version = data.get("format_version")
    if version not in SUPPORTED_VERSIONS:
        supported = ", ".join(str(item) for item in sorted(SUPPORTED_VERSIONS))
        raise ConfigError(f"{source}: snapshot format version {version!r} is not supported by "
                          f"flake8-phase12 {__version__} (it reads version {supported}); regenerate it "
                          "with `phase12 snapshot`")
    reader = _Reader(source, version)
    surface = Surface(origin=f"snapshot {source}")
    surface.plugin_bases = tuple(reader.strings(data.get("plugin_bases", []), "plugin_bases"))
    for index, record in enumerate(reader.list(data.get("objects"), "objects")):
        surface.add(reader.api_object(record, f"objects[{index}]"))
    surface.routes = [reader.route(record, f"routes[{index}]")
                      for index, record in enumerate(reader.list(data.get("routes", []), "routes"))]
    return surface


def _object_record(obj: ApiObject) -> dict[str, Any]:
    record: dict[str, Any] = {"path": obj.path, "kind": obj.kind, "file": obj.file, "line": obj.line}
    if not obj.public:
        record["public"] = False
    if obj.parameters is not None:
        record["parameters"] = [_param_record(param) for param in obj.parameters]
    if obj.labels:
        record["labels"] = list(obj.labels)
    if obj.bases:
        record["bases"] = list(obj.bases)
    if obj.has_value:
        record["has_value"] = True
    if obj.annotation is not None:
        record["annotation"] = obj.annotation
    if obj.raises:
        record["raises"] = list(obj.raises)
    if obj.shapes is not None:
        record["shapes"] = [list(shape) for shape in obj.shapes]
    if obj.target:
        record["target"] = obj.target
    if obj.returns:
        record["returns"] = obj.returns
    if obj.aliases:
        record["aliases"] = list(obj.aliases)
    return record


def _param_record(param: Param) -> dict[str, Any]:
    record: dict[str, Any] = {"name": param.name, "kind": param.kind}
    if param.default is not None:
        record["default"] = param.default
    if param.annotation is not None:
        record["annotation"] = param.annotation
    return record


def _route_record(route: Route) -> dict[str, Any]:
    record: dict[str, Any] = {"method": route.method, "path": route.path, "handler": route.handler,
                              "file": route.file, "line": route.line}
    if route.shapes is not None:
        record["shapes"] = [list(shape) for shape in route.shapes]
    if route.returns:
        record["returns"] = route.returns
    return record


class _Reader:
    """Checks each record as it converts it, so a damaged file fails with where and what."""

    def __init__(self, source: str, version: int = SNAPSHOT_FORMAT_VERSION) -> None:
        self.source = source
        self.version = version

    def fail(self, where: str, problem: str) -> ConfigError:
        return ConfigError(f"{self.source}: invalid snapshot: {where}: {problem}")

    def list(self, value: Any, where: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(where, "must be a list")
        return value

    def strings(self, value: Any, where: str) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.fail(where, "must be a list of strings")
        return value

    def field(self, record: dict[str, Any], name: str, kind: type, where: str, default: Any = ...) -> Any:
        if name not in record:
            if default is ...:
                raise self.fail(where, f"missing {name!r}")
            return default
        value = record[name]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.fail(f"{where}.{name}", f"must be {kind.__name__}")
        return value

    def api_object(self, record: Any, where: str) -> ApiObject:
        if not isinstance(record, dict):
            raise self.fail(where, "must be an object")
        kind = self.field(record, "kind", str, where)
        if kind not in OBJECT_KINDS:
            raise self.fail(f"{where}.kind", f"must be one of {', '.join(OBJECT_KINDS)}")
        parameters = None
        if record.get("parameters") is not None:
            items = self.list(record["parameters"], f"{where}.parameters")
            parameters = tuple(self.param(item, f"{where}.parameters[{index}]")
                               for index, item in enumerate(items))
        return ApiObject(
            path=self.field(record, "path", str, where),
            kind=kind,
            file=self.field(record, "file", str, where),
            line=self.field(record, "line", int, where),
            public=self.field(record, "public", bool, where, True),
            parameters=parameters,
            labels=tuple(self.strings(record.get("labels", []), f"{where}.labels")),
            bases=tuple(self.strings(record.get("bases", []), f"{where}.bases")),
            has_value=self.field(record, "has_value", bool, where, False),
            annotation=self.field(record, "annotation", str, where, None),
            raises=tuple(self.strings(record.get("raises", []), f"{where}.raises")),
            shapes=self.shapes(record.get("shapes"), where),
            target=self.field(record, "target", str, where, ""),
            returns=self.field(record, "returns", str, where, ""),
            # Version 1 did not keep aliases: a field's names on the wire are unknown.
            aliases=tuple(self.strings(record.get("aliases", []), f"{where}.aliases"))
            if self.version >= 2 else (UNKNOWN_ALIASES,) if kind == "attribute" else (),
        )

    def param(self, record: Any, where: str) -> Param:
        if not isinstance(record, dict):
            raise self.fail(where, "must be an object")
        kind = self.field(record, "kind", str, where)
        if kind not in PARAMETER_KINDS:
            raise self.fail(f"{where}.kind", f"must be one of {', '.join(PARAMETER_KINDS)}")
        return Param(name=self.field(record, "name", str, where), kind=kind,
                     default=self.field(record, "default", str, where, None),
                     annotation=self.field(record, "annotation", str, where, None))

    def shapes(self, value: Any, where: str) -> tuple[tuple[str, ...], ...] | None:
        if value is None:
            return None
        return tuple(tuple(self.strings(shape, f"{where}.shapes[{index}]"))
                     for index, shape in enumerate(self.list(value, f"{where}.shapes")))

    def route(self, record: Any, where: str) -> Route:
        if not isinstance(record, dict):
            raise self.fail(where, "must be an object")
        shapes = self.shapes(record.get("shapes"), where)
        return Route(method=self.field(record, "method", str, where),
                     path=self.field(record, "path", str, where),
                     handler=self.field(record, "handler", str, where),
                     file=self.field(record, "file", str, where),
                     line=self.field(record, "line", int, where), shapes=shapes,
                     returns=self.field(record, "returns", str, where, ""))
