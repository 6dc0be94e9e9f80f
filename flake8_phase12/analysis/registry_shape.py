"""Syntactic facts about the registry's metrics function (checklist §5): a lookup that raises
for a plugin that is not registered, and recording placed after a context manager's `yield`
without a `finally`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from flake8_phase12.analysis.classes import Classes
from flake8_phase12.analysis.context import FileContext
from flake8_phase12.analysis.flow import TRY_NODES, FunctionNode
from flake8_phase12.analysis.local import walk_local
from flake8_phase12.analysis.names import annotation_names, last_name
from flake8_phase12.analysis.outcome import parameters

GUARDING_EXCEPTIONS = frozenset({"KeyError", "LookupError", "Exception", "BaseException"})


SAFE_MAPPINGS = frozenset({"defaultdict", "Counter", "DefaultDict"})


PLAIN_MAPPINGS = frozenset({"dict", "Dict", "Mapping", "MutableMapping", "OrderedDict"})


def unguarded_lookup(ctx: FileContext, functions: list[FunctionNode],
                     classes: Classes) -> ast.Subscript | None:
    """The first `self.<mapping>[key]` read in the metrics function (`functions[0]`) or the
    same-file helpers it calls (the rest) that nothing guards: no `in` test of the key, no
    `try` catching `KeyError`, no earlier test of the mapping that returns, and, in a helper,
    none of those around the calls of it either."""
    for function in functions:
        for node in _lookups(ctx, function, classes):
            if function is functions[0] \
                    or not _guarded_calls(ctx, function, functions, node.value.attr):
                return node
    return None


def _lookups(ctx: FileContext, function: FunctionNode, classes: Classes) -> list[ast.Subscript]:
    local_names = {arg.arg for arg in parameters(function)} | {
        target.id for node in walk_local(function) if isinstance(node, ast.Assign)
        for target in node.targets if isinstance(target, ast.Name)}
    owner = ctx.parents.get(function)
    cls = owner if isinstance(owner, ast.ClassDef) else None
    tested = {(ast.dump(node.left), ast.dump(node.comparators[0])) for node in walk_local(function)
              if isinstance(node, ast.Compare) and len(node.ops) == 1
              and isinstance(node.ops[0], (ast.In, ast.NotIn))}
    found = []
    for node in walk_local(function):
        if not isinstance(node, ast.Subscript) or not isinstance(node.slice, ast.Name) \
                or node.slice.id not in local_names or node.slice.id in ("self", "cls"):
            continue
        if isinstance(node.ctx, ast.Store) and not isinstance(ctx.parents.get(node), ast.AugAssign):
            continue
        mapping = node.value
        if not (isinstance(mapping, ast.Attribute) and isinstance(mapping.value, ast.Name)
                and mapping.value.id == "self"):
            continue
        if mapping_kind(classes.attribute(cls, mapping.attr)) != "plain":
            continue
        if (ast.dump(node.slice), ast.dump(mapping)) in tested \
                or _guarded(ctx, node, function, mapping.attr):
            continue
        found.append(node)
    return sorted(found, key=lambda node: (node.lineno, node.col_offset))


def _guarded_calls(ctx: FileContext, helper: FunctionNode, functions: list[FunctionNode],
                   mapping: str) -> bool:
    """Whether every call of `helper` from the other functions is guarded (and there is one)."""
    calls = [(function, node) for function in functions if function is not helper
             for node in walk_local(function) if isinstance(node, ast.Call)
             and isinstance(node.func, (ast.Attribute, ast.Name))
             and (node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id)
             == helper.name]
    return not calls or all(_guarded(ctx, node, function, mapping) for function, node in calls)


def _guarded(ctx: FileContext, node: ast.AST, function: FunctionNode, mapping: str) -> bool:
    """Whether a `try` catching `KeyError` holds `node`, or a test of `self.<mapping>` (`name in
    self._records`, a variable from `self._records.get(name)`) holds it or comes before it and
    leaves the function."""
    aliases = {target.id for statement in walk_local(function) if isinstance(statement, ast.Assign)
               and _reads(statement.value, mapping, set())
               for target in statement.targets if isinstance(target, ast.Name)}
    child = node
    while child is not function:
        current = ctx.parents.get(child)
        if current is None:
            return False
        if isinstance(current, TRY_NODES) and child in current.body and any(
                handler.type is None or annotation_names(handler.type) & GUARDING_EXCEPTIONS
                for handler in current.handlers):
            return True
        if isinstance(current, (ast.If, ast.While, ast.IfExp)) and child is not current.test \
                and _reads(current.test, mapping, aliases):
            return True
        block = _block_of(ctx, child) if isinstance(child, ast.stmt) else None
        if block is not None:
            for earlier in block[:block.index(child)]:
                if isinstance(earlier, ast.If) and _reads(earlier.test, mapping, aliases) \
                        and earlier.body and isinstance(earlier.body[-1], (ast.Return, ast.Raise)):
                    return True
        child = current
    return False


def _reads(node: ast.AST, mapping: str, aliases: set[str]) -> bool:
    return any((isinstance(part, ast.Attribute) and part.attr == mapping
                and isinstance(part.value, ast.Name) and part.value.id == "self")
               or (isinstance(part, ast.Name) and part.id in aliases) for part in ast.walk(node))


def mapping_kind(described: ast.AST | None) -> str | None:
    """'plain' for a dict that raises on a missing key, 'safe' for a defaultdict or Counter,
    None when the file does not say."""
    if described is None:
        return None
    if isinstance(described, (ast.Dict, ast.DictComp)):
        return "plain"
    if isinstance(described, ast.Call):
        name = last_name(described.func)
        return "safe" if name in SAFE_MAPPINGS else "plain" if name == "dict" else None
    head = described.value if isinstance(described, ast.Subscript) else described
    name = last_name(head)
    return "safe" if name in SAFE_MAPPINGS else "plain" if name in PLAIN_MAPPINGS else None


def after_unguarded_yield(ctx: FileContext, function: FunctionNode
                          ) -> Iterator[tuple[ast.stmt, list[ast.stmt]]]:
    """Each `yield` statement of `function` outside any `try` with a `finally`, with the
    statements that follow it in its block."""
    for node in walk_local(function):
        if not (isinstance(node, ast.Expr) and isinstance(node.value, (ast.Yield, ast.YieldFrom))) \
                and not (isinstance(node, ast.Assign) and isinstance(node.value, ast.Yield)):
            continue
        if _inside_finally_try(ctx, node, function):
            continue
        block = _block_of(ctx, node)
        if block is not None:
            yield node, block[block.index(node) + 1:]


def _inside_finally_try(ctx: FileContext, node: ast.AST, function: FunctionNode) -> bool:
    child, current = node, ctx.parents.get(node)
    while current is not None and current is not function:
        if isinstance(current, TRY_NODES) and current.finalbody and child in current.body:
            return True
        child, current = current, ctx.parents.get(current)
    return False


def _block_of(ctx: FileContext, statement: ast.stmt) -> list[ast.stmt] | None:
    parent = ctx.parents.get(statement)
    for name in ("body", "orelse", "finalbody"):
        block = getattr(parent, name, None)
        if isinstance(block, list) and statement in block:
            return block
    return None


def recording_call(statements: list[ast.stmt], names: set[str]) -> ast.Call | None:
    """The first call among `statements` of a function of the bookkeeping (`self.record(...)`)."""
    for statement in statements:
        for node in ast.walk(statement):
            if isinstance(node, ast.Call) and last_name(node.func) in names:
                return node
    return None
