"""How the value handed to a validator was made from where it came from.

The checklist's validators must see values as they arrived: the input validator the request as
the runner received it (section 2), the output validator the output as the plugin returned it
(section 3). `alteration` follows a value back through the local names of one function and says
whether, on the way from its source (a parameter, an execution), a default was filled in
(`raw or {}`, `x if x is not None else {}`), a conversion applied (`dict(raw)`, `str(raw)`) or,
when asked, the value wrapped in a new container (`{"data": raw}`).

Facts only: a value built by a call this module cannot see into (`normalise(raw)`, the
`await asyncio.wait_for(...)` of an execution) is followed into the arguments that carry the
source, and is otherwise taken as it is; nothing is reported for what cannot be read.
The reading is flow-insensitive within the function, except that only bindings written before
the use are followed.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from functools import lru_cache

from flake8_phase12.analysis.local import local_nodes
from flake8_phase12.analysis.names import dotted_name
from flake8_phase12.records import Record

# Calls that convert or copy what they are given: the result is not the value itself.
CONVERSIONS = frozenset({"dict", "list", "tuple", "set", "frozenset", "str", "bytes", "int",
                         "float", "bool", "copy.copy", "copy.deepcopy", "deepcopy",
                         "json.loads", "json.dumps"})
MAX_DEPTH = 8


class Alteration(Record):
    """What was done to the source on the way: `kind` is 'defaulted', 'converted' or 'wrapped';
    `node` is the expression that did it."""

    node: ast.AST
    kind: str


Bindings = dict[str, list[ast.Assign | ast.AnnAssign | ast.NamedExpr]]


@lru_cache(maxsize=256)
def local_bindings(function: ast.AST) -> Bindings:
    """Each local name's simple bindings (`x = ...`, `x: T = ...`, `(x := ...)`), in order,
    nested functions and classes left out. Computed once per function (do not modify)."""
    found: Bindings = {}
    for node in local_nodes(function):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found.setdefault(target.id, []).append(node)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) \
                and node.value is not None:
            found.setdefault(node.target.id, []).append(node)
        elif isinstance(node, ast.NamedExpr):
            found.setdefault(node.target.id, []).append(node)
    for nodes in found.values():
        nodes.sort(key=lambda node: (node.lineno, node.col_offset))
    return found


class ValueOrigins:
    """Answers `alteration` questions for one function and one kind of source."""

    def __init__(self, bindings: Bindings, is_source: Callable[[ast.AST], bool],
                 wrappers: bool) -> None:
        self.bindings = bindings
        self.is_source = is_source
        self.wrappers = wrappers

    def alteration(self, expression: ast.AST, before: tuple[int, int]) -> Alteration | None:
        """What was done to a source value on its way into `expression` (used at `before`)."""
        return self._alteration(expression, before, 0)

    def derives(self, expression: ast.AST, before: tuple[int, int]) -> bool:
        """Whether `expression` carries a source value."""
        return self._derives(expression, before, 0)

    def _earlier(self, name: str, before: tuple[int, int]) -> list[ast.AST]:
        return [binding for binding in self.bindings.get(name, ())
                if (binding.lineno, binding.col_offset) < before]

    def _derives(self, expression: ast.AST, before: tuple[int, int], depth: int) -> bool:
        if depth > MAX_DEPTH:
            return False
        for node in _walk_expression(expression):
            if self.is_source(node) and not (isinstance(node, ast.Name)
                                             and self._earlier(node.id, before)):
                return True
            if isinstance(node, ast.Name):
                for binding in self._earlier(node.id, before):
                    if self._derives(binding.value, _position(binding), depth + 1):
                        return True
        return False

    def _alteration(self, node: ast.AST, before: tuple[int, int], depth: int) -> Alteration | None:
        if depth > MAX_DEPTH:
            return None
        if isinstance(node, (ast.Await, ast.Starred)):
            return self._alteration(node.value, before, depth + 1)
        if isinstance(node, ast.Name):
            earlier = self._earlier(node.id, before)
            # The latest binding before the use is the value used (flow-insensitive otherwise).
            return self._alteration(earlier[-1].value, _position(earlier[-1]), depth + 1) \
                if earlier else None
        if self.is_source(node):
            return None
        carrying = [child for child in _operands(node) if self._derives(child, before, depth)]
        if not carrying:
            return None
        kind = self._kind(node)
        if kind is not None:
            return Alteration(node, kind)
        for child in carrying:
            found = self._alteration(child, before, depth + 1)
            if found is not None:
                return found
        return None

    def _kind(self, node: ast.AST) -> str | None:
        """What `node` does to the source value it is given, if it changes it."""
        if isinstance(node, ast.BoolOp) and any(_is_literal(child) for child in node.values):
            return "defaulted"
        if isinstance(node, ast.IfExp) and (_is_literal(node.body) or _is_literal(node.orelse)):
            return "defaulted"
        if isinstance(node, ast.Call) and dotted_name(node.func) in CONVERSIONS:
            return "converted"
        if self.wrappers and isinstance(node, (ast.Dict, ast.List, ast.Tuple, ast.Set)):
            return "wrapped"
        return None


def _operands(node: ast.AST) -> list[ast.AST]:
    """The sub-expressions a value is made of (a call's arguments, not the function)."""
    if isinstance(node, ast.Call):
        return [*node.args, *(keyword.value for keyword in node.keywords)]
    if isinstance(node, ast.IfExp):
        return [node.body, node.orelse]
    if isinstance(node, (ast.Lambda, ast.GeneratorExp, ast.ListComp, ast.SetComp, ast.DictComp)):
        return []
    return [child for child in ast.iter_child_nodes(node) if isinstance(child, ast.expr)]


def _walk_expression(expression: ast.AST):
    stack = [expression]
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, ast.Lambda):
            stack.extend(ast.iter_child_nodes(node))


def _is_literal(node: ast.AST) -> bool:
    """A value written out in the code: `{}`, `""`, `None`, `[]`, `dict()`."""
    if isinstance(node, (ast.Constant, ast.Dict, ast.List, ast.Tuple, ast.Set, ast.JoinedStr)):
        return True
    return isinstance(node, ast.Call) and dotted_name(node.func) in ("dict", "list", "tuple", "set") \
        and not node.args and not node.keywords


def _position(node: ast.AST) -> tuple[int, int]:
    return node.lineno, node.col_offset


def describe_alteration(found: Alteration, limit: int = 60) -> str:
    """`raw or {}` (the output defaulted when it is falsy), for messages."""
    text = " ".join(ast.unparse(found.node).split())
    if len(text) > limit:
        text = text[:limit - 3] + "..."
    return f"`{text}` (line {found.node.lineno})"
