"""Recognising plugin objects and references to their execution methods, by name.

This is the name-based verdict the flake8 plugin uses: receiver patterns from the configuration,
local aliases (`p = plugin`), loop variables over plugin collections, and parameters or
variables annotated with a configured plugin base class. The pylint plugin adds inference on
top of it.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import lru_cache

from flake8_phase12.analysis.names import annotation_names, matches_any, render, string_constant
from flake8_phase12.config.model import Config

FUNCTION_NODES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
# Calls that only look at a method without executing it.
INTROSPECTION_CALLS = ("callable", "hasattr", "getattr", "signature", "inspect.*",
                       "*.iscoroutinefunction", "iscoroutinefunction", "id", "repr", "type",
                       "isinstance", "*.assert_called*", "*.patch*")


@lru_cache(maxsize=32)
def execution_text_pattern(methods: tuple[str, ...]) -> re.Pattern[str]:
    """A regex that any file executing a plugin must contain: the cheap pre-filter."""
    names = "|".join(re.escape(method) for method in methods)
    return re.compile(rf"\.\s*(?:{names})\b|getattr\s*\([^)]*['\"](?:{names})['\"]")


@dataclass(frozen=True)
class MethodReference:
    """`receiver.method` or `getattr(receiver, "method")` in the source."""

    node: ast.AST
    receiver: ast.AST
    method: str


def method_reference(node: ast.AST, methods: tuple[str, ...]) -> MethodReference | None:
    """The execution-method reference `node` is, if any (loads only, never assignments)."""
    if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load) and node.attr in methods:
        return MethodReference(node, node.value, node.attr)
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id == "getattr" and len(node.args) >= 2):
        name = string_constant(node.args[1])
        if name in methods:
            return MethodReference(node, node.args[0], name)
    return None


class PluginNames:
    """Answers "is this expression a plugin object?" within one module."""

    def __init__(self, tree: ast.Module, config: Config, parents: dict[ast.AST, ast.AST]) -> None:
        self.config = config
        self.parents = parents
        self.base_classes = frozenset(config.plugin_base_classes)
        self._aliases: dict[ast.AST | None, set[str]] = {}
        self._collect_aliases(tree)

    def is_plugin(self, expression: ast.AST, at: ast.AST) -> bool:
        if isinstance(expression, ast.Await):
            expression = expression.value
        if matches_any(render(expression), self.config.plugin_receivers):
            return True
        if isinstance(expression, ast.Name):
            return expression.id in self._aliases.get(self.scope_of(at), set())
        return False

    def scope_of(self, node: ast.AST) -> ast.AST | None:
        current = self.parents.get(node)
        while current is not None and not isinstance(current, FUNCTION_NODES):
            current = self.parents.get(current)
        return current

    def _collect_aliases(self, tree: ast.Module) -> None:
        # Flow-insensitive on purpose: a name that holds a plugin anywhere in a function is a
        # plugin everywhere in it. Two passes so that aliases of aliases are found too.
        for _ in range(2):
            for node in ast.walk(tree):
                for name, value, at in self._bindings(node):
                    if value is not None and self.is_plugin(value, at):
                        self._aliases.setdefault(self.scope_of(at), set()).add(name)

    def _bindings(self, node: ast.AST):
        """(name, value, position) for each simple binding that may introduce an alias."""
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name):
                yield target.id, node.value, node
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            if annotation_names(node.annotation) & self.base_classes:
                self._aliases.setdefault(self.scope_of(node), set()).add(node.target.id)
            if node.value is not None:
                yield node.target.id, node.value, node
        elif isinstance(node, ast.NamedExpr):
            yield node.target.id, node.value, node
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
            target, iterable = node.target, node.iter
            if isinstance(target, ast.Name):
                yield target.id, _element_of(iterable), node
            elif isinstance(target, ast.Tuple) and len(target.elts) == 2:
                # `for name, plugin in plugins.items()`
                value = target.elts[1]
                if isinstance(value, ast.Name) and _is_items_call(iterable):
                    yield value.id, _element_of(iterable), node
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            arguments = node.args
            for arg in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs):
                if annotation_names(arg.annotation) & self.base_classes:
                    # Parameters belong to the function's own scope: use a node inside it.
                    self._aliases.setdefault(node, set()).add(arg.arg)


def _element_of(iterable: ast.AST) -> ast.AST:
    """An expression standing for one element of `iterable`: `plugins` -> `plugins[_]`."""
    if isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Attribute) \
            and iterable.func.attr in ("values", "items") and not iterable.args:
        iterable = iterable.func.value
    return ast.Subscript(value=iterable, slice=ast.Constant(value=0), ctx=ast.Load())


def _is_items_call(iterable: ast.AST) -> bool:
    return (isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Attribute)
            and iterable.func.attr == "items")


def is_introspection(reference: MethodReference, parents: dict[ast.AST, ast.AST]) -> bool:
    """`callable(plugin.run)`, `inspect.signature(plugin.run)`: looked at, not executed."""
    parent = parents.get(reference.node)
    if isinstance(parent, ast.Call) and reference.node is not parent.func:
        return matches_any(render(parent.func), INTROSPECTION_CALLS)
    return False
