"""Does a service's entry method delegate to the next layer? (checklist §6)

An entry method (`execute_plugin`, `run_job`, `analyze`) delegates when it, or a method of the
same class it calls or hands on (`self._execute(...)`, `pool.submit(self._work)`), reaches the
delegate: `self._runner.run(...)`, the injected callable `self._tool_runner(...)`, the delegate
handed to a helper (`helper(self._runner, ...)`), or a local alias of it (`r = self._runner`).

A check may also say, from the project model, that a method reaches the next layer whatever the
attribute is called (`reaches`): `self._board.submit(...)` where `_board` holds a `JobBoard`.

The verdict is "unknown" (and nothing is reported) when the method hands control somewhere the
file does not show: `super()`, a call of `self.<name>()` that the class does not define (an
inherited method or an injected callable), or `self` passed to another function.

A layer written as module-level functions (an analysis "service" of functions taking the job
book first) is judged the same way (`unreached_functions`): an entry function delegates when it,
or a function of the module it calls or hands on, reaches the next layer; it is unknown when it
hands one of its parameters to a function the module does not define.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from functools import lru_cache

from flake8_phase12.analysis.context import FileContext
from flake8_phase12.analysis.names import is_declaration, is_protocol_class
from flake8_phase12.analysis.plugins import PluginNames, is_introspection, method_reference
from flake8_phase12.records import Record

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
SELF = "self"
# A check's own test of a function: does it reach the next layer (by the model's facts)?
Reaches = Callable[[FunctionNode], bool]


class Delegate(Record):
    """How a service reaches the next layer."""

    # Attributes of `self` that hold the next layer.
    attributes: frozenset[str]
    # The next layer's methods that count; empty means any method.
    methods: frozenset[str] = frozenset()
    # Plain functions that count as the next layer (a plain-function runner).
    functions: frozenset[str] = frozenset()


class ServiceClass:
    """A service class and its methods, with the closure of each entry method."""
    def __init__(self, node: ast.ClassDef, methods: dict[str, FunctionNode]) -> None:
        self.node = node
        self.methods = methods

    @classmethod
    def of(cls, node: ast.ClassDef) -> "ServiceClass":
        methods = {item.name: item for item in node.body
                   if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))}
        return cls(node, methods)

    @property
    def is_protocol(self) -> bool:
        return is_protocol_class(self.node)

    def closure(self, entry: FunctionNode) -> list[FunctionNode]:
        """`entry` and every method of this class it calls or hands on, transitively."""
        seen = {entry.name: entry}
        pending = [entry]
        while pending:
            for name in _self_references(pending.pop()):
                method = self.methods.get(name)
                if method is not None and name not in seen:
                    seen[name] = method
                    pending.append(method)
        return list(seen.values())


def find_class(tree: ast.Module, name: str) -> ast.ClassDef | None:
    """The module-level class `name` (also inside a module-level `if`/`try`), or None."""
    if not name:
        return None
    pending: list[ast.stmt] = list(tree.body)
    while pending:
        node = pending.pop(0)
        if isinstance(node, ast.ClassDef) and node.name == name:
            return node
        if isinstance(node, (ast.If, ast.Try)):
            pending.extend(node.body + node.orelse + getattr(node, "finalbody", []))
    return None


def undelegated_entries(service: ServiceClass, entries: tuple[str, ...], delegate: Delegate,
                        *, allow_deferred: bool, reaches: Reaches | None = None
                        ) -> Iterator[tuple[FunctionNode, list[FunctionNode]]]:
    """Entry methods that certainly never reach `delegate`, each with its closure.

    With `allow_deferred`, an entry method that only records work on the instance (a queue, a
    job table) is not reported when another method of the class delegates: that is the shape
    of a job queue whose worker delegates later, and the file cannot show the hand-over.
    """
    if service.is_protocol:
        return
    delegating = {name for name, method in service.methods.items()
                  if delegates_directly(method, delegate)
                  or (reaches is not None and reaches(method))}
    for name in entries:
        entry = service.methods.get(name)
        if entry is None or is_declaration(entry):
            continue
        closure = service.closure(entry)
        if any(method.name in delegating for method in closure):
            continue
        if any(_dispatches_unknown(method, service) for method in closure):
            continue
        if allow_deferred and delegating and any(_uses_instance_state(method, service)
                                                 for method in closure):
            continue
        yield entry, closure


def unreached_entries(ctx: FileContext, class_name: str, entries: tuple[str, ...],
                      delegate: Delegate, *, allow_deferred: bool, reported: set[int],
                      reaches: Reaches | None = None) -> Iterator[tuple[str, FunctionNode]]:
    """(`Class.method`, method) for each entry method of the service class `class_name` that
    never reaches `delegate`, leaving out methods whose closure holds a line in `reported` or
    a direct plugin execution (the rules reporting those explain the same mistake better)."""
    node = find_class(ctx.tree, class_name)
    if node is None:
        return
    direct: set[int] | None = None
    for entry, closure in undelegated_entries(ServiceClass.of(node), entries, delegate,
                                              allow_deferred=allow_deferred, reaches=reaches):
        if direct is None:
            direct = direct_execution_lines(ctx)
        if not spans_any(closure, reported | direct):
            yield f"{node.name}.{entry.name}", entry


def unreached_functions(ctx: FileContext, entries: tuple[str, ...], delegate: Delegate,
                        reaches: Reaches, reported: set[int],
                        may_hold: Callable[[FunctionNode, ast.Name], bool]
                        ) -> Iterator[tuple[str, FunctionNode]]:
    """(`function`, node) for each module-level entry function that never reaches the next
    layer (see the module docstring), leaving out those whose closure holds a line in
    `reported` or a direct plugin execution. `may_hold` says whether a name handed to another
    function may hold the next layer (an unannotated parameter, one typed as the layer)."""
    functions = {node.name: node for node in ctx.tree.body
                 if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}
    direct: set[int] | None = None
    for name in entries:
        entry = functions.get(name)
        if entry is None or is_declaration(entry):
            continue
        closure = _function_closure(entry, functions)
        if any(reaches(function) or delegates_directly(function, delegate) for function in closure):
            continue
        if any(_hands_delegate_away(function, functions, may_hold) for function in closure):
            continue
        if direct is None:
            direct = direct_execution_lines(ctx)
        if not spans_any(closure, reported | direct):
            yield entry.name, entry


def _function_closure(entry: FunctionNode, functions: dict[str, FunctionNode]) -> list[FunctionNode]:
    """`entry` and every module-level function it calls or hands on by name, transitively."""
    seen = {entry.name: entry}
    pending = [entry]
    while pending:
        for node in _nodes(pending.pop()):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) \
                    and node.id in functions and node.id not in seen:
                seen[node.id] = functions[node.id]
                pending.append(functions[node.id])
    return list(seen.values())


def _hands_delegate_away(function: FunctionNode, functions: dict[str, FunctionNode],
                         may_hold: Callable[[FunctionNode, ast.Name], bool]) -> bool:
    """What may hold the next layer handed to a function the module does not define: it may
    delegate there."""
    for node in _nodes(function):
        local = isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
            and node.func.id in functions
        if isinstance(node, ast.Call) and not local:
            if any(isinstance(argument, ast.Name) and may_hold(function, argument)
                   for argument in _arguments(node)):
                return True
    return False


def delegates_directly(function: FunctionNode, delegate: Delegate) -> bool:
    aliases = _aliases_of_delegate(function, delegate)
    for node in _nodes(function):
        if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load) \
                and _is_delegate(node.value, delegate, aliases) \
                and (not delegate.methods or node.attr in delegate.methods):
            return True
        if isinstance(node, ast.Call):
            if _is_delegate(node.func, delegate, aliases):
                return True
            if isinstance(node.func, ast.Name) and node.func.id in delegate.functions:
                return True
            if any(_is_delegate(argument, delegate, aliases)
                   or (isinstance(argument, ast.Name) and argument.id in delegate.functions)
                   for argument in _arguments(node)):
                return True
    return False


def _is_delegate(node: ast.AST, delegate: Delegate, aliases: set[str]) -> bool:
    if isinstance(node, ast.Name):
        return node.id in aliases
    return (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
            and node.value.id == SELF and node.attr in delegate.attributes)


def _aliases_of_delegate(function: FunctionNode, delegate: Delegate) -> set[str]:
    """Local names bound to the delegate: `runner = self._runner`."""
    aliases: set[str] = set()
    for node in _nodes(function):
        if isinstance(node, ast.Assign) and _is_delegate(node.value, delegate, set()):
            aliases.update(target.id for target in node.targets if isinstance(target, ast.Name))
    return aliases


def _arguments(call: ast.Call) -> Iterator[ast.AST]:
    yield from call.args
    for keyword in call.keywords:
        yield keyword.value
    for argument in call.args:
        if isinstance(argument, ast.Starred):
            yield argument.value


def _self_references(function: FunctionNode) -> set[str]:
    return {node.attr for node in _nodes(function)
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
            and node.value.id == SELF and isinstance(node.ctx, ast.Load)}


def _dispatches_unknown(function: FunctionNode, service: ServiceClass) -> bool:
    """Control may go where this file does not show."""
    for node in _nodes(function):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id == "super":
            return True
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) \
                and func.value.id == SELF and func.attr not in service.methods:
            return True
        if any(isinstance(argument, ast.Name) and argument.id == SELF
               for argument in _arguments(node)):
            return True
    return False


def _uses_instance_state(function: FunctionNode, service: ServiceClass) -> bool:
    return any(name not in service.methods for name in _self_references(function))


def direct_execution_lines(ctx: FileContext) -> set[int]:
    """Lines where a plugin is executed directly: GOV101 reports those, so the delegation rules
    leave a method that does so alone (one root cause, one finding)."""
    methods = ctx.config.execution_methods
    plugins: PluginNames | None = None
    lines: set[int] = set()
    for node in ctx.nodes:
        reference = method_reference(node, methods)
        if reference is None:
            continue
        if plugins is None:
            plugins = PluginNames(ctx.tree, ctx.config, ctx.parents)
        if plugins.is_plugin(reference.receiver, at=node) and not is_introspection(reference, ctx.parents):
            lines.add(node.lineno)
    return lines


def spans_any(functions: list[FunctionNode], lines: set[int]) -> bool:
    """Whether one of `lines` lies inside one of `functions`."""
    return any(function.lineno <= line <= (function.end_lineno or function.lineno)
               for function in functions for line in lines)


def delegate_methods(own: tuple[str, ...], *entries: str) -> frozenset[str]:
    """The next layer's methods that count: the configured ones plus its own entry methods;
    empty (any method) when none are configured."""
    return frozenset((*own, *entries)) - {""} if own else frozenset()


# Keyed by the method node (AST nodes hash by identity; the tree is never changed): the
# delegation rules walk each service method several times (aliases, delegation, dispatch).
@lru_cache(maxsize=256)
def _nodes(function: FunctionNode) -> tuple[ast.AST, ...]:
    """`ast.walk(function)`, once."""
    return tuple(ast.walk(function))
