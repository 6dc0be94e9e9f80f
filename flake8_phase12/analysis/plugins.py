"""Recognising plugin objects and references to their execution methods, by name.

This is the name-based verdict the flake8 plugin uses: receiver patterns from the configuration,
local aliases (`p = plugin`), loop variables over plugin collections, and parameters or
variables annotated with a configured plugin base class. The pylint plugin adds inference on
top of it.
"""

from __future__ import annotations

import ast
import bisect
from collections.abc import Callable

from flake8_phase12.analysis.execution_text import execution_offsets
from flake8_phase12.analysis.names import annotation_names, matches_any, render, string_constant
from flake8_phase12.config.model import Config
from flake8_phase12.records import Record

FUNCTION_NODES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
# Calls that only look at a method without executing it.
INTROSPECTION_CALLS = ("callable", "hasattr", "getattr", "signature", "inspect.*",
                       "*.iscoroutinefunction", "iscoroutinefunction", "id", "repr", "type",
                       "isinstance", "*.assert_called*", "*.patch*")


class MethodReference(Record):
    """`receiver.method` or `getattr(receiver, "method")` in the source."""

    node: ast.AST
    receiver: ast.AST
    method: str


# The method of `getattr(plugin, name)` when `name` is not a literal: any method, the execution
# method included.
DYNAMIC_METHOD = "?"


def method_reference(node: ast.AST, methods: tuple[str, ...], dynamic: bool = False
                     ) -> MethodReference | None:
    """The execution-method reference `node` is, if any (loads only, never assignments). With
    `dynamic`, `getattr(x, name)` with a computed name is one too (method `DYNAMIC_METHOD`)."""
    if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load) and node.attr in methods:
        return MethodReference(node, node.value, node.attr)
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id == "getattr" and len(node.args) >= 2):
        name = string_constant(node.args[1])
        if name in methods:
            return MethodReference(node, node.args[0], name)
        if dynamic and name is None:
            return MethodReference(node, node.args[0], DYNAMIC_METHOD)
    return None


class PluginNames:
    """Answers "is this expression a plugin object?" within one module.

    Aliases are found on demand: "does this name hold a plugin?" reads the bindings of that
    one name in its function (collected once per function, without judging them), so a
    function with many assignments pays only for the names used as receivers or arguments.
    """

    def __init__(self, tree: ast.Module, config: Config,
                 parents: dict[ast.AST, ast.AST] | None = None,
                 typed: Callable[[ast.AST, ast.AST], bool] | None = None) -> None:
        self.tree = tree
        self.config = config
        self.parents = parents
        # The project model's verdict by type (`model.context.plugin_type_test`), asked only
        # when the names say no: `analyser.analyse()` where `analyser = catalog.resolve(n)`.
        self.typed = typed
        self.base_classes = frozenset(config.plugin_base_classes)
        self._bindings_by_scope: dict[ast.AST, dict[str, list[ast.AST | None]]] = {}
        self._verdicts: dict[tuple[ast.AST, str], bool] = {}
        self._pending: set[tuple[ast.AST, str]] = set()
        self._met_pending = False

    def is_plugin(self, expression: ast.AST, at: ast.AST | None = None,
                  scope: ast.AST | None = None) -> bool:
        """Whether `expression` is a plugin object. Give its function as `scope`, or a node
        `at` whose function is looked up through the parent links."""
        if isinstance(expression, ast.Await):
            expression = expression.value
        if matches_any(render(expression), self.config.plugin_receivers):
            return True
        if isinstance(expression, ast.Name):
            if scope is None and at is not None:
                scope = self.scope_of(at)
            if self.holds_plugin(expression.id, scope if scope is not None else self.tree):
                return True
        if self.typed is not None:
            anchor = at if at is not None else _first_node(scope)
            return self.typed(expression, anchor if anchor is not None else expression)
        return False

    def scope_of(self, node: ast.AST) -> ast.AST:
        if self.parents is None:
            raise ValueError("PluginNames.scope_of needs the parent links")
        current = self.parents.get(node)
        while current is not None and not isinstance(current, FUNCTION_NODES):
            current = self.parents.get(current)
        return current if current is not None else self.tree

    def holds_plugin(self, name: str, scope: ast.AST) -> bool:
        """Whether the name holds a plugin somewhere in `scope`: a parameter or variable
        annotated with a plugin base class, or bound to a plugin (`p = plugin`, a loop variable
        over plugins, aliases of aliases). Flow-insensitive on purpose: a name that holds a
        plugin anywhere in a function is a plugin everywhere in it."""
        key = (scope, name)
        known = self._verdicts.get(key)
        if known is not None:
            return known
        if key in self._pending:  # a cycle (`a = b`, `b = a`): no plugin along this path
            self._met_pending = True
            return False
        outer, self._met_pending = self._met_pending, False
        self._pending.add(key)
        try:
            verdict = any(value is None or self.is_plugin(value, scope=scope)
                          for value in self._scope_bindings(scope).get(name, ()))
        finally:
            self._pending.discard(key)
        # A "no" reached through a cycle still being decided may turn out "yes": not kept.
        if verdict or not self._met_pending:
            self._verdicts[key] = verdict
        self._met_pending = outer or self._met_pending
        return verdict

    def _scope_bindings(self, scope: ast.AST) -> dict[str, list[ast.AST | None]]:
        """Every simple binding of the scope by name; a value of None means "a plugin by its
        annotation"."""
        found = self._bindings_by_scope.get(scope)
        if found is None:
            found = {name: [None] for name in self._annotated_parameters(scope)}
            for node in _walk_scope(scope):
                for name, value in self._bindings(node):
                    found.setdefault(name, []).append(value)
            self._bindings_by_scope[scope] = found
        return found

    def _annotated_parameters(self, scope: ast.AST):
        if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)):
            arguments = scope.args
            for arg in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs):
                if annotation_names(arg.annotation) & self.base_classes:
                    yield arg.arg

    def _bindings(self, node: ast.AST):
        """(name, value) for each simple binding that may introduce an alias; a value of None
        means the name is a plugin by its annotation."""
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name):
                yield target.id, node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            if annotation_names(node.annotation) & self.base_classes:
                yield node.target.id, None
            elif node.value is not None:
                yield node.target.id, node.value
        elif isinstance(node, ast.NamedExpr):
            yield node.target.id, node.value
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
            target, iterable = node.target, node.iter
            if isinstance(target, ast.Name):
                yield target.id, _element_of(iterable)
            elif isinstance(target, ast.Tuple) and len(target.elts) == 2:
                # `for name, plugin in plugins.items()`
                value = target.elts[1]
                if isinstance(value, ast.Name) and _is_items_call(iterable):
                    yield value.id, _element_of(iterable)


def _first_node(scope: ast.AST | None) -> ast.AST | None:
    """A node inside `scope`, to locate its function from (the model types per function)."""
    body = getattr(scope, "body", None)
    if isinstance(body, list) and body:
        return body[0]
    return None


def _walk_scope(scope: ast.AST):
    """The nodes of one scope: nested functions and classes are separate scopes."""
    stack = list(ast.iter_child_nodes(scope))
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, (*FUNCTION_NODES, ast.ClassDef)):
            stack.extend(ast.iter_child_nodes(node))


def walk_with_scope(tree: ast.AST, lines: list[int] | None = None):
    """One pass over the tree yielding (node, parent, enclosing function or the module).

    With `lines` (sorted line numbers), subtrees whose line range holds none of them are
    skipped: a file that mentions `.run` on three lines costs three small walks, not one big one.
    """
    stack: list[tuple[ast.AST, ast.AST | None, ast.AST]] = [(tree, None, tree)]
    while stack:
        node, parent, scope = stack.pop()
        yield node, parent, scope
        inner = node if isinstance(node, FUNCTION_NODES) else scope
        for child in ast.iter_child_nodes(node):
            if lines is None or _spans_any(child, lines):
                stack.append((child, node, inner))


def _spans_any(node: ast.AST, lines: list[int]) -> bool:
    first = getattr(node, "lineno", None)
    if first is None:
        return True
    last = getattr(node, "end_lineno", None) or first
    index = bisect.bisect_left(lines, first)
    return index < len(lines) and lines[index] <= last


def execution_lines(source: str, methods: tuple[str, ...]) -> list[int]:
    """The sorted line numbers where the text may reference an execution method."""
    lines, line, position = [], 1, 0
    for offset in execution_offsets(source, methods):
        line += source.count("\n", position, offset)
        position = offset
        if not lines or lines[-1] != line:
            lines.append(line)
    return lines


def _element_of(iterable: ast.AST) -> ast.AST:
    """An expression standing for one element of `iterable`: `plugins` -> `plugins[_]`."""
    if isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Attribute) \
            and iterable.func.attr in ("values", "items") and not iterable.args:
        iterable = iterable.func.value
    return ast.Subscript(value=iterable, slice=ast.Constant(value=0), ctx=ast.Load())


def _is_items_call(iterable: ast.AST) -> bool:
    return (isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Attribute)
            and iterable.func.attr == "items")


# Calls that run their first argument with the rest: `loop.run_in_executor(pool, f, *args)` takes
# an executor first; the others take the callable first.
HAND_OFFS = {"run_in_executor": 1, "to_thread": 0, "submit": 0, "partial": 0, "run_sync": 0,
             "start_soon": 0, "apply_async": 0, "spawn": 0}


def handed_off_call(call: ast.Call) -> tuple[ast.AST | None, list[ast.AST]]:
    """The function a call runs and its positional arguments: itself, or what an executor
    hand-off runs (`to_thread(f, a)` -> (f, [a]))."""
    name = call.func.attr if isinstance(call.func, ast.Attribute) else \
        call.func.id if isinstance(call.func, ast.Name) else ""
    skip = HAND_OFFS.get(name)
    if skip is not None and len(call.args) > skip:
        return call.args[skip], list(call.args[skip + 1:])
    return call.func, list(call.args)


def is_introspection(reference: MethodReference, parent: ast.AST | None) -> bool:
    """`callable(plugin.run)`, `inspect.signature(plugin.run)`: looked at, not executed."""
    if isinstance(parent, ast.Call) and reference.node is not parent.func:
        return matches_any(render(parent.func), INTROSPECTION_CALLS)
    return False
