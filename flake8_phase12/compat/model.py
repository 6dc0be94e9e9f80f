"""The Phase 11 public surface as plain records: what `phase12 compat` compares.

Every source of a surface (the working tree, a directory, a git ref, a snapshot file) becomes one
`Surface`, so the comparison never cares where the old side came from. The records hold only
strings, numbers and tuples: they round-trip through the snapshot JSON unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Coarse kinds: a caller cannot tell a method from a staticmethod through an instance, nor a
# property from an attribute, so those differences live in `labels`, not in the kind.
OBJECT_KINDS: tuple[str, ...] = ("module", "class", "function", "attribute")

# The aliases of a field read from a snapshot of format version 1, which did not keep them.
UNKNOWN_ALIASES = "?"

# Parameter kinds, spelled as `griffe.ParameterKind` values so signatures convert both ways.
PARAMETER_KINDS: tuple[str, ...] = (
    "positional-only",
    "positional or keyword",
    "variadic positional",
    "keyword-only",
    "variadic keyword",
)


@dataclass(frozen=True)
class Param:
    """One parameter as a caller sees it. `default` is the source text, or None if required."""

    name: str
    kind: str
    default: str | None = None
    annotation: str | None = None

    @property
    def required(self) -> bool:
        return self.default is None and self.kind not in ("variadic positional", "variadic keyword")

    def render(self) -> str:
        prefix = {"variadic positional": "*", "variadic keyword": "**"}.get(self.kind, "")
        text = f"{prefix}{self.name}"
        if self.annotation:
            text += f": {self.annotation}"
        if self.default is not None and not prefix:
            text += f" = {self.default}" if self.annotation else f"={self.default}"
        return text


def render_signature(params: tuple[Param, ...]) -> str:
    """`(a, b=1, *, c)`: the parameters with `/` and `*` markers where Python puts them."""
    parts: list[str] = []
    saw_keyword_marker = False
    for index, param in enumerate(params):
        if param.kind == "keyword-only" and not saw_keyword_marker:
            parts.append("*")
            saw_keyword_marker = True
        if param.kind == "variadic positional":
            saw_keyword_marker = True
        parts.append(param.render())
        following = params[index + 1] if index + 1 < len(params) else None
        if param.kind == "positional-only" and (following is None or following.kind != "positional-only"):
            parts.append("/")
    return "(" + ", ".join(parts) + ")"


# One record for every kind of object, as the snapshot stores it: most fields apply to one kind.
@dataclass(frozen=True)
class ApiObject:  # pylint: disable=too-many-instance-attributes
    """One importable name: a module, class, function/method or attribute/field.

    `path` is the dotted import path (`pkg.mod.Class.method`). For an alias (a re-export such as
    `from .core import Engine` in `pkg/__init__.py`), `target` is the path it points to and the
    other fields describe the target, so an alias and the object compare alike.
    """

    path: str
    kind: str
    file: str
    line: int
    public: bool = True
    # Call signature without the implicit `self`/`cls`: what a caller passes.
    parameters: tuple[Param, ...] | None = None
    # griffe labels and ours: async, property, staticmethod, classmethod, abstractmethod,
    # dataclass, instance-attribute, class-attribute, model (pydantic-like), protocol, ...
    labels: tuple[str, ...] = ()
    # Classes: base classes, as resolved dotted paths where known, else as written.
    bases: tuple[str, ...] = ()
    # Attributes: whether a value (default) is given, which matters for model fields, and the
    # annotation as written (it tells a rename from an unrelated new field).
    has_value: bool = False
    annotation: str | None = None
    # Fields with aliases: their names on the wire (`validation_alias=plugin`, `alias=a|b`,
    # `serialization_alias=?` for one the source does not spell, `by_name`); see `wire_names`.
    aliases: tuple[str, ...] = ()
    # Functions and methods: exception classes raised directly in the body, as written, and
    # the key sets of the dict literals returned (None: no dict literal is returned).
    raises: tuple[str, ...] = ()
    shapes: tuple[tuple[str, ...], ...] | None = None
    target: str = ""
    # Functions: the return annotation as written ('' when none).
    returns: str = ""

    @property
    def name(self) -> str:
        return self.path.rsplit(".", 1)[-1]

    @property
    def parent_path(self) -> str:
        return self.path.rsplit(".", 1)[0] if "." in self.path else ""

    @property
    def is_alias(self) -> bool:
        return bool(self.target)

    def has_label(self, label: str) -> bool:
        return label in self.labels

    def wire_names(self) -> tuple[frozenset[str], str] | None:
        """A model field's names on the wire: those accepted on input and the one written on
        output (the field's name unless aliases say otherwise); None when an alias is unknown."""
        if any(alias.endswith("=?") or alias == UNKNOWN_ALIASES for alias in self.aliases):
            return None
        written = dict(alias.split("=", 1) for alias in self.aliases if "=" in alias)
        accepted = set((written.get("validation_alias") or written.get("alias") or self.name).split("|"))
        if "by_name" in self.aliases:
            accepted.add(self.name)
        return frozenset(accepted), written.get("serialization_alias") or written.get("alias") or self.name

    def describe(self) -> str:
        """How the object reads in a message: `function pkg.helper(a, b=1)`."""
        if self.kind == "function" and self.parameters is not None:
            prefix = "async " if self.has_label("async") else ""
            return f"{prefix}{self.path}{render_signature(self.parameters)}"
        return self.path


@dataclass(frozen=True)
class Route:
    """One HTTP route: method + full path (router and include prefixes applied).

    `shapes` are the key sets of the dict literals the handler returns (one per distinct
    `return`), or None when no return is a dict literal: the shape is then not statically
    visible. A key set containing `**` is open (it unpacks another mapping). `returns` is the
    response type the route declares, as written: the decorator's `response_model=`, else the
    handler's return annotation ('' when neither).
    """

    method: str
    path: str
    handler: str
    file: str
    line: int
    shapes: tuple[tuple[str, ...], ...] | None = None
    returns: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.method, normalise_route_path(self.path))

    def describe(self) -> str:
        return f"{self.method} {self.path}"


def normalise_route_path(path: str) -> str:
    """`/items/{item_id}/` and `/items/{id}` are the same URL shape for a client."""
    import re

    shaped = re.sub(r"\{[^}]*\}", "{}", path)
    return shaped.rstrip("/") or "/"


@dataclass
class Surface:
    """The whole public surface of one tree, plus what the comparison needs to resolve names."""

    objects: dict[str, ApiObject] = field(default_factory=dict)
    routes: list[Route] = field(default_factory=list)
    # Paths of the classes that are plugin base classes or protocols (config.plugin_base_classes).
    plugin_bases: tuple[str, ...] = ()
    # Where the surface came from, for messages: "working tree", "git ref HEAD~1", a path.
    origin: str = ""
    warnings: list[str] = field(default_factory=list)

    def add(self, obj: ApiObject) -> None:
        # The first definition wins, as griffe's member table and Python's import would agree
        # for modules; for duplicated names inside one scope the later one is the real one.
        self.objects[obj.path] = obj

    def get(self, path: str) -> ApiObject | None:
        return self.objects.get(path)

    def resolve(self, path: str) -> ApiObject | None:
        """The object at `path`, following aliases, and members inherited from internal bases."""
        direct = self.objects.get(path)
        if direct is not None:
            return direct
        owner_path, _, member = path.rpartition(".")
        if not owner_path:
            return None
        owner = self.resolve(owner_path)
        if owner is None:
            return None
        if owner.is_alias:
            found = self.objects.get(f"{owner.target}.{member}")
            if found is not None:
                return found
        if owner.kind == "class":
            return self.inherited_member(owner, member)
        return None

    def inherited_member(self, cls: ApiObject, member: str,
                         _seen: frozenset[str] = frozenset()) -> ApiObject | None:
        canonical = cls.target or cls.path
        for base in cls.bases:
            if base in _seen:
                continue
            base_obj = self.objects.get(base)
            if base_obj is None or base_obj.kind != "class":
                continue
            found = self.objects.get(f"{base_obj.target or base}.{member}")
            if found is not None:
                return found
            deeper = self.inherited_member(base_obj, member, _seen | {canonical, base})
            if deeper is not None:
                return deeper
        return None

    def ancestors(self, cls: ApiObject) -> set[str]:
        """Every base of `cls`, transitively through the classes this surface knows."""
        seen: set[str] = set()
        pending = list(cls.bases)
        while pending:
            base = pending.pop()
            if base in seen:
                continue
            seen.add(base)
            base_obj = self.objects.get(base)
            if base_obj is not None and base_obj.kind == "class":
                pending.extend(base_obj.bases)
        return seen

    def members_of(self, path: str) -> list[ApiObject]:
        prefix = path + "."
        return [obj for key, obj in self.objects.items()
                if key.startswith(prefix) and "." not in key[len(prefix):]]
