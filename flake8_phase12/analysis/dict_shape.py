"""The keys of the dicts a function returns, as far as its own code shows them.

Used for the error envelope's shape (checklist §4): which of `error.type`, `error.message`, ...
the envelope function builds. A `Shape` is a dict whose string keys are known; values are
nested shapes, `LEAF` (certainly not a dict: a string, a number, a list) or `OPAQUE` (anything:
the result of a call, a parameter). A shape is `open` when keys may exist that we cannot see: a
`**unpacked` value we do not understand, a key that is not a string literal, or the dict being
handed to a function that may fill it in.

The analysis is flow-insensitive on purpose: every key assigned anywhere in the function counts
as present on every return. That can miss a field set on one branch only, but never reports a
field that the code does set, which is the error that matters for a lint rule.
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Iterator
from enum import Enum

from flake8_phase12.analysis.names import dotted_name, last_name
from flake8_phase12.analysis.runner import walk_local
from flake8_phase12.records import Record

NESTED_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
# Calls that read a dict without changing it: passing the envelope to them keeps it closed.
READING_CALLS = frozenset({"len", "print", "repr", "str", "dict", "list", "isinstance",
                           "json.dumps", "copy.copy", "copy.deepcopy"})
READING_METHODS = frozenset({"get", "keys", "values", "items", "copy"})
LOG_RECEIVERS = frozenset({"logger", "log", "logging"})


class Kind(Enum):
    """What a dict value is when not a nested dict: a plain value, or one that cannot be seen into."""
    LEAF = "leaf"
    OPAQUE = "opaque"


LEAF = Kind.LEAF
OPAQUE = Kind.OPAQUE


class Shape:
    """The keys a dict is known to have; `open` when it may have others we cannot see."""

    def __init__(self, keys: dict[str, Value] | None = None, is_open: bool = False) -> None:
        self.keys: dict[str, Value] = {} if keys is None else keys
        self.open = is_open

    def merge(self, other: Value) -> None:
        """Add the keys of `other` (a `**other` or `.update(other)`)."""
        if isinstance(other, Shape):
            for key, value in other.keys.items():
                self.keys.setdefault(key, value)
            self.open = self.open or other.open
        else:
            self.open = True

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
                 dict_classes: frozenset[str] = frozenset()) -> None:
        self.function = function
        self.follow = follow or {}
        self.dict_classes = dict_classes | {"dict"}
        self.depth = depth
        self.names: dict[str, Value] = {}
        # Returned values of followed helpers, per (helper, depth), shared by the whole analysis
        # so that a helper called from many places is read once.
        self._memo = {} if _memo is None else _memo
        for statement in _statements(function):
            self._apply(statement)
        for node in walk_local(function):
            if isinstance(node, ast.Call):
                self._handle_call(node)
            elif isinstance(node, ast.NamedExpr):
                self._bind(node.target.id, self.value_of(node.value))

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
                                   self.dict_classes)
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
        if isinstance(node, ast.Call) and dotted_name(node.func) in self.dict_classes:
            return self._dict_call(node)
        if isinstance(node, ast.Call) and self._followed(node) is not None:
            values = self._returned_values(node)
            return values[0] if len(values) == 1 else OPAQUE
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
            return Shape(is_open=True)
        if isinstance(node, (ast.Constant, ast.JoinedStr, ast.List, ast.Tuple, ast.Set,
                             ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.Compare)):
            return LEAF
        return OPAQUE

    def _dict_literal(self, node: ast.Dict) -> Shape:
        shape = Shape()
        for key, value in zip(node.keys, node.values):
            if key is None:
                shape.merge(self.value_of(value))
            elif isinstance(key, ast.Constant) and isinstance(key.value, str):
                shape.keys[key.value] = self.value_of(value)
            else:
                shape.open = True
        return shape

    def _dict_call(self, node: ast.Call) -> Shape:
        shape = Shape()
        for argument in node.args:
            shape.merge(self.value_of(argument))
        for keyword in node.keywords:
            if keyword.arg is None:
                shape.merge(self.value_of(keyword.value))
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
                self._assign(target, value)
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            self._assign(statement.target, self.value_of(statement.value))
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

    def _assign(self, target: ast.expr, value: Value) -> None:
        if isinstance(target, ast.Name):
            self._bind(target.id, value)
        elif isinstance(target, ast.Subscript):
            container = self._container(target.value)
            key = _string_key(target.slice)
            if container is None:
                return
            if key is None:
                container.open = True
            else:
                container.keys[key] = value
        elif isinstance(target, (ast.Tuple, ast.List, ast.Starred)):
            self._unknown_targets(target)

    def _bind(self, name: str, value: Value) -> None:
        previous = self.names.get(name)
        if isinstance(previous, Shape) and isinstance(value, Shape):
            previous.merge(value)  # a name bound twice holds the keys of both (flow-insensitive)
        elif previous is None or previous == value:
            self.names[name] = value
        else:
            self.names[name] = OPAQUE

    def _augment(self, statement: ast.AugAssign) -> None:
        if isinstance(statement.op, ast.BitOr):
            container = self._container(statement.target)
            if container is not None:
                container.merge(self.value_of(statement.value))

    def _container(self, node: ast.expr) -> Shape | None:
        """The shape an assignment target's base refers to: `env`, `env["error"]`,
        `env.setdefault("error", {})`; None when it is not a dict we follow."""
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr == "setdefault" and node.args:
            owner = self._container(node.func.value)
            key = _string_key(node.args[0])
            if owner is None or key is None:
                return None
            if key not in owner.keys:
                default = self.value_of(node.args[1]) if len(node.args) > 1 else LEAF
                owner.keys[key] = default
            value = owner.keys[key]
            return value if isinstance(value, Shape) else None
        value = self.value_of(node)
        return value if isinstance(value, Shape) else None

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
            receiver = self._container(func.value)
            if receiver is not None:
                self._method_call(receiver, func.attr, call)
        if _only_reads(call) or dotted_name(call.func) in self.dict_classes:
            return
        for argument in (*call.args, *(keyword.value for keyword in call.keywords)):
            if isinstance(argument, ast.Starred):
                argument = argument.value
            if not isinstance(argument, (ast.Name, ast.Subscript)):
                continue  # only a dict the function holds can be filled in behind its back
            value = self.value_of(argument)
            if isinstance(value, Shape):
                value.open_deeply()  # the callee may fill it in

    def _method_call(self, receiver: Shape, method: str, call: ast.Call) -> None:
        if method == "update":
            for argument in call.args:
                receiver.merge(self.value_of(argument))
            for keyword in call.keywords:
                if keyword.arg is None:
                    receiver.merge(self.value_of(keyword.value))
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


def _only_reads(call: ast.Call) -> bool:
    name = dotted_name(call.func)
    if name in READING_CALLS:
        return True
    func = call.func
    if isinstance(func, ast.Attribute):
        if func.attr in READING_METHODS or func.attr in ("update", "setdefault"):
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
