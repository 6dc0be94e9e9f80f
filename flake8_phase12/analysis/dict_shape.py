"""The keys of the dicts a function returns, as far as its own code shows them.

Used for the error envelope's shape (checklist §4): which of `error.type`, `error.message`, ...
the envelope function builds. A `Shape` is a dict whose string keys are known; values are
nested shapes, `LEAF` (certainly not a dict: a string, a number, a list) or `OPAQUE` (anything:
the result of a call, a parameter). A shape is `open` when keys may exist that we cannot see: a
`**unpacked` value we do not understand, a key that is not a string literal, or the dict being
handed to a function that may fill it in.

Pydantic models declared in the same module are read too (`model_classes`): an instance of one
(`Failure(error=...)`, `cls(...)` in one of its classmethods) has the shape `model_dump()` gives
it: the declared fields, minus those declared with `exclude=True`, under their alias when the
model sets `serialize_by_alias=True` (or the dump asks `by_alias=True`), nested models read the
same way. A model with a base this module does not declare (other than `BaseModel`) is open.

The analysis is flow-insensitive on purpose: every key assigned anywhere in the function counts
as present on every return. That can miss a field set on one branch only, but never reports a
field that the code does set, which is the error that matters for a lint rule.

The project model's facts (`model.facts`) read the dicts a function returns with the same
analysis, for the Phase 11 compatibility check: a shape keeps the expressions it merged in
without seeing into them (`sources`, `{**entry.describe()}`), which the model follows into other
modules, and says apart the keys the source computes (`computed`, `{name: ...}`) from the other
reasons it is open. A variable assigned such an expression and then given keys
(`card = entry.describe()`, `card["k"] = ...`) is read as a dict of that source.
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Iterator, Sequence
from enum import Enum

from flake8_phase12.analysis.local import walk_local
from flake8_phase12.analysis.names import annotation_names, dotted_name, last_name
from flake8_phase12.records import Record

NESTED_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
# Calls that read a dict without changing it: passing the envelope to them keeps it closed.
READING_CALLS = frozenset({"len", "print", "repr", "str", "dict", "list", "isinstance",
                           "json.dumps", "copy.copy", "copy.deepcopy"})
READING_METHODS = frozenset({"get", "keys", "values", "items", "copy", "model_dump",
                             "model_dump_json", "model_copy", "dict", "json"})
LOG_RECEIVERS = frozenset({"logger", "log", "logging"})
# Methods that store keys into the dict they are called on (read by `_method_call`).
STORING_METHODS = frozenset({"update", "setdefault"})


class Kind(Enum):
    """What a dict value is when not a nested dict: a plain value, or one that cannot be seen into."""
    LEAF = "leaf"
    OPAQUE = "opaque"


LEAF = Kind.LEAF
OPAQUE = Kind.OPAQUE


class Shape:
    """The keys a dict is known to have; `open` when it may have others we cannot see. Of those,
    `computed` says the source stores a key it does not spell (`env[name] = ...`), and `sources`
    holds the mappings merged in that cannot be read here (`{**other()}`), as written."""

    def __init__(self, keys: dict[str, Value] | None = None, is_open: bool = False) -> None:
        self.keys: dict[str, Value] = {} if keys is None else keys
        self.open = is_open
        self.computed = False
        self.sources: list[ast.expr] = []

    def merge(self, other: Value, source: ast.expr | None = None) -> None:
        """Add the keys of `other` (a `**other` or `.update(other)`); `source` is the expression
        it was read from, kept when it is no dict we can see into."""
        if isinstance(other, Shape):
            for key, value in other.keys.items():
                self.keys.setdefault(key, value)
            self.open = self.open or other.open
            self.computed = self.computed or other.computed
            self.sources.extend(node for node in other.sources if node not in self.sources)
        else:
            self.open = True
            if source is not None:
                self.sources.append(source)

    def add_computed_key(self) -> None:
        """A key the source does not spell was stored (`env[name] = ...`)."""
        self.open = self.computed = True

    def open_deeply(self) -> None:
        seen: set[int] = set()
        pending: list[Shape] = [self]
        while pending:
            shape = pending.pop()
            if id(shape) in seen:
                continue
            seen.add(id(shape))
            shape.open = True
            pending.extend(value for value in shape.keys.values() if isinstance(value, Shape))


Value = Shape | Kind


class Presence(Enum):
    """Whether a key path is certainly in a dict, certainly not, or cannot be told."""
    PRESENT = "present"
    MISSING = "missing"
    UNKNOWN = "unknown"


def field_presence(value: Value, path: str) -> Presence:
    """Whether the dotted `path` (`error.timestamp`) exists in `value`."""
    current: Value = value
    for key in path.split("."):
        if current is OPAQUE:
            return Presence.UNKNOWN
        if current is LEAF:
            return Presence.MISSING
        assert isinstance(current, Shape)
        if key in current.keys:
            current = current.keys[key]
        elif current.open:
            return Presence.UNKNOWN
        else:
            return Presence.MISSING
    return Presence.PRESENT


class ModelField(Record):
    """One declared field of a pydantic model of this module."""

    name: str
    node: ast.AnnAssign
    alias: str | None = None  # the serialisation alias (`serialization_alias`, else `alias`)
    excluded: bool = False
    model: str | None = None  # the model of this module the field holds, if any


class ModelInfo(Record):
    """A pydantic model class of this module, as far as the module declares it."""

    name: str
    node: ast.ClassDef
    fields: tuple[ModelField, ...]
    # Every base is `BaseModel` or a model of this module: no field can come from elsewhere.
    complete: bool
    serialize_by_alias: bool
    config: ast.AST | None = None  # where `model_config` is set, if it is


class ModelShape(Shape):
    """The shape of a model instance: what its `model_dump()` returns."""

    def __init__(self, model: ModelInfo, keys: dict[str, Value], is_open: bool,
                 by_alias: bool) -> None:
        super().__init__(keys, is_open)
        self.model = model
        self.by_alias = by_alias


MODEL_BASES = frozenset({"BaseModel"})


def model_classes(tree: ast.Module) -> dict[str, ModelInfo]:
    """The module's pydantic models (classes deriving from `BaseModel`, or from one of them)."""
    classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    found: dict[str, ModelInfo] = {}
    pending = list(classes)
    changed = True
    while changed:
        changed = False
        for name in list(pending):
            node = classes[name]
            bases = [last_name(base) for base in node.bases]
            if not any(base in MODEL_BASES or base in found for base in bases):
                continue
            if any(base in classes and base not in found and base not in MODEL_BASES
                   for base in bases):
                continue  # a base of this module not read yet
            found[name] = _read_model(node, [found[base] for base in bases if base in found],
                                      complete=all(base in MODEL_BASES or base in found
                                                   for base in bases))
            pending.remove(name)
            changed = True
    return {name: replace_nested(info, found) for name, info in found.items()}


def replace_nested(info: ModelInfo, models: dict[str, ModelInfo]) -> ModelInfo:
    """Mark the fields that hold another model of the module."""
    fields = []
    for field in info.fields:
        held = [name for name in annotation_names(field.node.annotation) if name in models]
        fields.append(field._replace(model=held[0] if len(held) == 1 else None))
    return info._replace(fields=tuple(fields))


def _read_model(node: ast.ClassDef, bases: list[ModelInfo], complete: bool) -> ModelInfo:
    fields: dict[str, ModelField] = {}
    by_alias = any(base.serialize_by_alias for base in bases)
    config: ast.AST | None = None
    for base in bases:
        fields.update((field.name, field) for field in base.fields)
        complete = complete and base.complete
    for statement in node.body:
        if isinstance(statement, (ast.Assign, ast.AnnAssign)):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            if any(isinstance(target, ast.Name) and target.id == "model_config"
                   for target in targets):
                config = statement
                setting = _config_setting(statement.value, "serialize_by_alias")
                if setting is not None:
                    by_alias = setting
                continue
        if not isinstance(statement, ast.AnnAssign) or not isinstance(statement.target, ast.Name):
            continue
        name = statement.target.id
        if name.startswith("_") or "ClassVar" in annotation_names(statement.annotation):
            continue
        fields[name] = _read_field(name, statement)
    return ModelInfo(node.name, node, tuple(fields.values()), complete, by_alias, config)


def _read_field(name: str, statement: ast.AnnAssign) -> ModelField:
    calls = [statement.value] if isinstance(statement.value, ast.Call) else []
    annotation = statement.annotation
    if isinstance(annotation, ast.Subscript) and last_name(annotation.value) == "Annotated":
        parts = annotation.slice.elts if isinstance(annotation.slice, ast.Tuple) else []
        calls.extend(part for part in parts[1:] if isinstance(part, ast.Call))
    alias: str | None = None
    excluded = False
    for call in calls:
        if last_name(call.func) != "Field":
            continue
        for keyword in call.keywords:
            if keyword.arg in ("alias", "serialization_alias") and _string_key(keyword.value):
                if keyword.arg == "serialization_alias" or alias is None:
                    alias = _string_key(keyword.value)
            elif keyword.arg == "exclude" and isinstance(keyword.value, ast.Constant):
                excluded = keyword.value.value is True
    return ModelField(name, statement, alias, excluded)


def _config_setting(value: ast.AST | None, key: str) -> bool | None:
    """`ConfigDict(serialize_by_alias=True)` or `{"serialize_by_alias": True}` -> True."""
    if isinstance(value, ast.Call):
        for keyword in value.keywords:
            if keyword.arg == key and isinstance(keyword.value, ast.Constant):
                return keyword.value.value is True
        return False
    if isinstance(value, ast.Dict):
        for item, setting in zip(value.keys, value.values):
            if _string_key(item) == key and isinstance(setting, ast.Constant):
                return setting.value is True
        return False
    return None


# `model_dump(exclude=...)`: field name -> None (left out whole) or what to leave out inside it.
Exclusion = dict[str, "Exclusion | None"]


def _exclusion(node: ast.AST) -> Exclusion | None:
    """`{"internal"}` -> {"internal": None}; `{"error": {"details"}}` -> {"error": {"details":
    None}}; None when it cannot be read."""
    if isinstance(node, ast.Set):
        names = [_string_key(item) for item in node.elts]
        return None if None in names else {name: None for name in names if name is not None}
    if isinstance(node, ast.Dict):
        found: Exclusion = {}
        for key, value in zip(node.keys, node.values):
            name = _string_key(key) if key is not None else None
            if name is None:
                return None
            if isinstance(value, ast.Constant) and value.value in (True, Ellipsis):
                found[name] = None
            else:
                inner = _exclusion(value)
                if inner is None:
                    return None
                found[name] = inner
        return found
    return None


def model_dump_shape(models: dict[str, ModelInfo], name: str, by_alias: bool | None = None,
                     exclude: Exclusion | None = None, depth: int = 0) -> Value:
    """The shape `model_dump()` gives an instance of the model `name`."""
    info = models.get(name)
    if info is None or depth > 5:
        return OPAQUE
    exclude = exclude or {}
    aliased = info.serialize_by_alias if by_alias is None else by_alias
    keys: dict[str, Value] = {}
    for field in info.fields:
        if field.excluded or (field.name in exclude and exclude[field.name] is None):
            continue
        key = field.alias if aliased and field.alias else field.name
        if field.model:
            keys[key] = model_dump_shape(models, field.model, by_alias, exclude.get(field.name),
                                         depth + 1)
        elif field.name in exclude:
            keys[key] = Shape(is_open=True)  # part of a plain value left out: cannot tell
        else:
            keys[key] = OPAQUE
    return ModelShape(info, keys, not info.complete, aliased)


def explain_missing(value: Value, path: str) -> tuple[ast.AST, str, str] | None:
    """Why a model-built envelope lacks `path`, when a declared field explains it: the node to
    report at, what is wrong, and the fix."""
    current: Value = value
    for key in path.split("."):
        if not isinstance(current, Shape):
            return None
        if key in current.keys:
            current = current.keys[key]
            continue
        if not isinstance(current, ModelShape):
            return None
        for field in current.model.fields:
            if field.excluded and key in (field.name, field.alias):
                return (field.node, f"`{current.model.name}.{field.name}` is declared with "
                                    "`exclude=True`, so `model_dump()` leaves it out",
                        "drop `exclude=True`")
            if field.alias == key and not current.by_alias:
                return (field.node, f"`{current.model.name}.{field.name}` is dumped under its "
                                    f"name; its alias `{key}` is used only with `by_alias=True`",
                        f"set `serialize_by_alias=True` in the `model_config` of "
                        f"`{current.model.name}`")
        return None
    return None


class ReturnedShape(Record):
    """One `return` of the function and the value it returns."""

    node: ast.Return
    value: Value


class FunctionShapes:
    """The shapes of the values a function returns, from its own assignments.

    `follow` maps names of same-file functions whose result is returned (`return _build(exc)`)
    to their definitions; their returns are followed, a few levels deep. `dict_classes` names
    classes whose calls build a dict from their keywords, as `dict(...)` does (a `TypedDict`).
    """

    MAX_DEPTH = 3

    def __init__(self, function: ast.AST, follow: dict[str, ast.AST] | None = None,
                 depth: int = 0, _memo: dict[tuple[int, int], list[Value]] | None = None,
                 dict_classes: frozenset[str] = frozenset(),
                 models: dict[str, ModelInfo] | None = None, owner: str | None = None,
                 nodes: Sequence[ast.AST] | None = None) -> None:
        self.function = function
        self.follow = follow or {}
        self.dict_classes = dict_classes | {"dict"}
        # The module's pydantic models, and the class `cls` stands for in a classmethod.
        self.models = models or {}
        self.owner = owner
        self.depth = depth
        self.names: dict[str, Value] = {}
        # What each name was assigned (`name = value`), for a name that turns out to be a dict
        # only when keys are stored into it (`_stored_into`).
        self._assigned: dict[str, list[tuple[Value, ast.expr | None]]] = {}
        self._stored: set[str] = set()  # the names keys are stored into
        # Returned values of followed helpers, per (helper, depth), shared by the whole analysis
        # so that a helper called from many places is read once.
        self._memo = {} if _memo is None else _memo
        # `nodes`: the function's own nodes in source order, when the caller has walked it already
        # (the model's facts); statements first, then calls, as for the function's own walks.
        for statement in _statements(function) if nodes is None else nodes:
            self._apply(statement)
        for node in walk_local(function) if nodes is None else nodes:
            if isinstance(node, ast.Call):
                self._handle_call(node)
            elif isinstance(node, ast.NamedExpr):
                self._bind(node.target.id, self.value_of(node.value), node.value)

    def returns(self) -> Iterator[ReturnedShape]:
        for node in walk_local(self.function):
            if isinstance(node, ast.Return) and node.value is not None:
                for value in self._returned_values(node.value):
                    yield ReturnedShape(node, value)

    def _returned_values(self, expression: ast.expr) -> list[Value]:
        helper = self._followed(expression)
        if helper is None:
            return [self.value_of(expression)]
        key = (id(helper), self.depth + 1)
        if key not in self._memo:
            inner = FunctionShapes(helper, self.follow, self.depth + 1, self._memo,
                                   self.dict_classes, self.models)
            self._memo[key] = [returned.value for returned in inner.returns()] or [OPAQUE]
        # A copy per call site: the caller may add keys to what the helper returned.
        return copy.deepcopy(self._memo[key])

    def _followed(self, expression: ast.expr) -> ast.AST | None:
        if self.depth >= self.MAX_DEPTH or not isinstance(expression, ast.Call) \
                or not isinstance(expression.func, ast.Name):
            return None
        helper = self.follow.get(expression.func.id)
        return None if helper is self.function else helper

    # --- expressions ---------------------------------------------------------------------

    def value_of(self, node: ast.expr | None) -> Value:
        if isinstance(node, ast.Dict):
            return self._dict_literal(node)
        if isinstance(node, ast.Call):
            return self._call_value(node)
        if isinstance(node, ast.Name):
            return self.names.get(node.id, OPAQUE)
        if isinstance(node, ast.Subscript):
            return self._subscript(node)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            left, right = self.value_of(node.left), self.value_of(node.right)
            if isinstance(left, Shape) and isinstance(right, Shape):
                merged = Shape()
                merged.merge(right)
                merged.merge(left)
                return merged
            return OPAQUE
        if isinstance(node, ast.DictComp):
            shape = Shape()
            shape.add_computed_key()
            return shape
        if isinstance(node, (ast.Constant, ast.JoinedStr, ast.List, ast.Tuple, ast.Set,
                             ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.Compare)):
            return LEAF
        return OPAQUE

    def _call_value(self, node: ast.Call) -> Value:
        if dotted_name(node.func) in self.dict_classes:
            return self._dict_call(node)
        if self.models:
            model = self._constructed_model(node)
            if model is not None:
                return model_dump_shape(self.models, model)
            dumped = self._dumped(node)
            if dumped is not None:
                return dumped
        if self._followed(node) is not None:
            values = self._returned_values(node)
            return values[0] if len(values) == 1 else OPAQUE
        return OPAQUE

    def _constructed_model(self, call: ast.Call) -> str | None:
        """`Failure(...)`, `cls(...)` in a classmethod of `Failure`, `Failure.model_construct(...)`:
        the model of this module the call builds an instance of."""
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr in ("model_construct", "model_validate"):
            func = func.value
        if isinstance(func, ast.Name):
            name = self.owner if func.id == "cls" else func.id
            return name if name in self.models else None
        return None

    def _dumped(self, call: ast.Call) -> Value | None:
        """`failure.model_dump(by_alias=True, exclude={"internal"})` of a model instance."""
        func = call.func
        if not isinstance(func, ast.Attribute) or func.attr not in ("model_dump", "dict"):
            return None
        base = self.value_of(func.value)
        if not isinstance(base, ModelShape):
            return None
        return self.dump_of(call, base.model.name)

    def dump_of(self, call: ast.Call, model: str) -> Value:
        """What `call`, a `.model_dump(...)` of an instance of `model`, returns."""
        by_alias: bool | None = None
        exclude: Exclusion = {}
        for keyword in call.keywords:
            if keyword.arg == "by_alias" and isinstance(keyword.value, ast.Constant):
                by_alias = keyword.value.value is True
            elif keyword.arg == "exclude":
                read = _exclusion(keyword.value)
                if read is None:
                    return Shape(is_open=True)
                exclude = read
            elif keyword.arg is None or keyword.arg == "include":
                return Shape(is_open=True)
        return model_dump_shape(self.models, model, by_alias, exclude)

    def _dict_literal(self, node: ast.Dict) -> Shape:
        shape = Shape()
        for key, value in zip(node.keys, node.values):
            if key is None:
                shape.merge(self.value_of(value), value)
            elif isinstance(key, ast.Constant) and isinstance(key.value, str):
                shape.keys[key.value] = self.value_of(value)
            else:
                shape.add_computed_key()
        return shape

    def _dict_call(self, node: ast.Call) -> Shape:
        shape = Shape()
        for argument in node.args:
            shape.merge(self.value_of(argument), argument)
        for keyword in node.keywords:
            if keyword.arg is None:
                shape.merge(self.value_of(keyword.value), keyword.value)
            else:
                shape.keys[keyword.arg] = self.value_of(keyword.value)
        return shape

    def _subscript(self, node: ast.Subscript) -> Value:
        base = self.value_of(node.value)
        key = _string_key(node.slice)
        if isinstance(base, Shape) and key is not None and key in base.keys:
            return base.keys[key]
        return OPAQUE

    # --- statements ----------------------------------------------------------------------

    def _apply(self, statement: ast.stmt) -> None:
        if isinstance(statement, ast.Assign):
            value = self.value_of(statement.value)
            for target in statement.targets:
                self._assign(target, value, statement.value)
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            self._assign(statement.target, self.value_of(statement.value), statement.value)
        elif isinstance(statement, ast.AugAssign):
            self._augment(statement)
        elif isinstance(statement, ast.Delete):
            for target in statement.targets:
                self._open_target(target)
        elif isinstance(statement, (ast.For, ast.AsyncFor)):
            self._unknown_targets(statement.target)
        elif isinstance(statement, (ast.With, ast.AsyncWith)):
            for item in statement.items:
                if item.optional_vars is not None:
                    self._unknown_targets(item.optional_vars)

    def _assign(self, target: ast.expr, value: Value, written: ast.expr) -> None:
        if isinstance(target, ast.Name):
            self._bind(target.id, value, written)
        elif isinstance(target, ast.Subscript):
            container = self._container(target.value, storing=True)
            key = _string_key(target.slice)
            if container is None:
                return
            if key is None:
                container.add_computed_key()
            else:
                container.keys[key] = value
        elif isinstance(target, (ast.Tuple, ast.List, ast.Starred)):
            self._unknown_targets(target)

    def _bind(self, name: str, value: Value, written: ast.expr) -> None:
        self._assigned.setdefault(name, []).append((value, written))
        previous = self.names.get(name)
        # A name bound twice holds the keys of both (flow-insensitive); one that keys are stored
        # into is a dict whatever else it is assigned, which may hold any key (a source).
        if isinstance(previous, Shape) and (isinstance(value, Shape) or name in self._stored):
            previous.merge(value, written)
        elif previous is None or previous == value:
            self.names[name] = value
        else:
            self.names[name] = OPAQUE

    def _augment(self, statement: ast.AugAssign) -> None:
        if isinstance(statement.op, ast.BitOr):
            container = self._container(statement.target)
            if container is not None:
                container.merge(self.value_of(statement.value), statement.value)

    def _container(self, node: ast.expr, storing: bool = False) -> Shape | None:
        """The shape an assignment target's base refers to: `env`, `env["error"]`,
        `env.setdefault("error", {})`; None when it is not a dict we follow. `storing`: a key is
        stored into it, which makes a variable assigned something we cannot read a dict."""
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr == "setdefault" and node.args:
            owner = self._container(node.func.value)
            key = _string_key(node.args[0])
            if owner is None:
                return None
            if key is None:
                owner.add_computed_key()
                return None
            if key not in owner.keys:
                default = self.value_of(node.args[1]) if len(node.args) > 1 else LEAF
                owner.keys[key] = default
            value = owner.keys[key]
            return value if isinstance(value, Shape) else None
        value = self.value_of(node)
        if not storing or not isinstance(node, ast.Name):
            return value if isinstance(value, Shape) else None
        self._stored.add(node.id)
        return value if isinstance(value, Shape) else self._stored_into(node.id)

    def _stored_into(self, name: str) -> Shape | None:
        """The dict a variable holds once keys are stored into it (`card = entry.describe()`, then
        `card["k"] = ...`, in any order): the storing is the evidence that it is one, of whatever
        it was assigned, merged in as sources (open). None for a variable never assigned here."""
        assigned = self._assigned.get(name)
        if not assigned:
            return None
        shape = Shape()
        for value, written in assigned:
            shape.merge(value, written)
        self.names[name] = shape
        assigned.append((shape, None))  # kept if the name is assigned again
        return shape

    def _open_target(self, target: ast.expr) -> None:
        if isinstance(target, ast.Subscript):
            container = self._container(target.value)
            if container is not None:
                container.open = True
        elif isinstance(target, ast.Name):
            self.names[target.id] = OPAQUE

    def _unknown_targets(self, target: ast.expr) -> None:
        for node in ast.walk(target):
            if isinstance(node, ast.Name):
                self.names[node.id] = OPAQUE
            elif isinstance(node, ast.Subscript):
                self._open_target(node)

    # --- calls that may change a dict ----------------------------------------------------

    def _handle_call(self, call: ast.Call) -> None:
        func = call.func
        if isinstance(func, ast.Attribute):
            storing = func.attr in STORING_METHODS and self._stores_keys(func.attr, call)
            receiver = self._container(func.value, storing=storing)
            if receiver is not None:
                self._method_call(receiver, func.attr, call)
        name = dotted_name(func)
        if name in self.dict_classes or _only_reads(call, name):
            return
        for argument in (*call.args, *(keyword.value for keyword in call.keywords)):
            if isinstance(argument, ast.Starred):
                argument = argument.value
            if not isinstance(argument, (ast.Name, ast.Subscript)):
                continue  # only a dict the function holds can be filled in behind its back
            value = self.value_of(argument)
            if isinstance(value, Shape):
                value.open_deeply()  # the callee may fill it in

    def _stores_keys(self, method: str, call: ast.Call) -> bool:
        """Whether `.setdefault(key)`, `.update(k=...)` or `.update({"k": ...})` stores keys, as
        only a dict takes them (a set's `update` stores none)."""
        if method == "setdefault":
            return True
        return method == "update" and (
            any(keyword.arg is not None for keyword in call.keywords)
            or any(isinstance(value, Shape) and (value.keys or value.computed)
                   for value in map(self.value_of, call.args)))

    def _method_call(self, receiver: Shape, method: str, call: ast.Call) -> None:
        if method == "update":
            for argument in call.args:
                receiver.merge(self.value_of(argument), argument)
            for keyword in call.keywords:
                if keyword.arg is None:
                    receiver.merge(self.value_of(keyword.value), keyword.value)
                else:
                    receiver.keys[keyword.arg] = self.value_of(keyword.value)
        elif method == "setdefault":
            self._container(call)
        elif method not in READING_METHODS:
            receiver.open = True  # pop, popitem, clear, __setitem__, ...: cannot tell


def typed_dict_classes(tree: ast.Module) -> frozenset[str]:
    """The module's `TypedDict` classes: calling one builds a plain dict of its keywords."""
    return frozenset(node.name for node in tree.body if isinstance(node, ast.ClassDef)
                     and any(last_name(base) == "TypedDict" for base in node.bases))


def _only_reads(call: ast.Call, name: str | None) -> bool:
    """Whether the call, whose callee is written `name`, only reads the dicts handed to it."""
    if name in READING_CALLS:
        return True
    func = call.func
    if isinstance(func, ast.Attribute):
        if func.attr in READING_METHODS or func.attr in STORING_METHODS:
            return True
        receiver = dotted_name(func.value)
        if receiver is not None and receiver.rsplit(".", 1)[-1].strip("_").lower() in LOG_RECEIVERS:
            return True
    return False


def _string_key(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _statements(function: ast.AST) -> Iterator[ast.stmt]:
    """The statements of the function in source order, nested blocks included, nested
    functions and classes excluded."""
    pending: list[ast.stmt] = list(reversed(getattr(function, "body", [])))
    while pending:
        statement = pending.pop()
        yield statement
        if isinstance(statement, NESTED_SCOPES):
            continue
        children: list[ast.stmt] = []
        for name in ("body", "handlers", "orelse", "finalbody", "cases"):
            for child in getattr(statement, name, ()):
                children.extend(child.body if isinstance(child, (ast.ExceptHandler, ast.match_case))
                                else [child])
        pending.extend(reversed(children))
