"""Finding the runner's execution method and the calls that matter inside it.

Shared by the rules of sections 2-5, which all reason about the same method: where the input
validator, the plugin lookup, the execution, the output validator, the envelope and the metrics
update sit relative to each other and to the `try` that guards them.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import lru_cache

from flake8_phase12.analysis.context import FileContext
from flake8_phase12.analysis.names import (
    dotted_name,
    is_declaration,
    is_protocol_class,
    matches_any,
    render,
)
from flake8_phase12.analysis.plugins import PluginNames, is_introspection, method_reference
from flake8_phase12.config.model import Config
from flake8_phase12.records import Record

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


def runner_methods(ctx: FileContext) -> list[FunctionNode]:
    """The runner's execution method(s) in this file: `ToolRunner.run`, or the plain function.

    Declarations are not implementations: a method of a `Protocol`, an abstract or `@overload`
    method, and a body that is only `...`, `pass`, a docstring or `raise NotImplementedError`
    (as in `.pyi` stubs) are left out, because nothing in them executes a plugin."""
    runner = ctx.config.runner
    found: list[FunctionNode] = []
    for node in ctx.tree.body:
        if runner.function and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) \
                and node.name == runner.function and not is_declaration(node):
            found.append(node)
        elif isinstance(node, ast.ClassDef) and node.name == runner.class_name \
                and not is_protocol_class(node):
            found.extend(item for item in node.body
                         if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))
                         and item.name == runner.method and not is_declaration(item))
    return found


def execution_functions(ctx: FileContext) -> list[FunctionNode]:
    """The runner's execution method(s), plus every other public function or method of the
    runner module that executes a plugin itself (`ToolRunner.run_batch`): each is a way in and
    must govern its executions. Private helpers (`_invoke`) are left to their callers."""
    found = runner_methods(ctx)
    plugins = PluginNames(ctx.tree, ctx.config)
    methods = ctx.config.execution_methods
    candidates = [node for node in ctx.tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]
    for node in ctx.tree.body:
        if isinstance(node, ast.ClassDef):
            candidates.extend(item for item in node.body
                              if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)))
    for function in candidates:
        if function in found or function.name.startswith("_"):
            continue
        for node in walk_local(function):
            reference = method_reference(node, methods)
            if reference is not None and plugins.is_plugin(reference.receiver, scope=function) \
                    and not is_introspection(reference, ctx.parents.get(node)):
                found.append(function)
                break
    return sorted(found, key=lambda function: function.lineno)


def called_name(call: ast.Call) -> str | None:
    """The last name of the called function: `validate(...)`, `self._v.validate(...)` -> validate."""
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def is_call_to(node: ast.AST, name: str) -> bool:
    return bool(name) and isinstance(node, ast.Call) and called_name(node) == name


def walk_local(root: ast.AST) -> Iterator[ast.AST]:
    """`ast.walk` that stays in one function: nested defs, lambdas and classes are not entered."""
    return iter(local_nodes(root))


# Keyed by the node itself (AST nodes hash by identity); the rules of sections 2-5 walk the
# runner method about twenty times per file, and the tree is never changed.
@lru_cache(maxsize=256)
def local_nodes(root: ast.AST) -> tuple[ast.AST, ...]:
    """The nodes `walk_local` yields, in the same order, computed once per node."""
    found = []
    stack = list(ast.iter_child_nodes(root))
    while stack:
        node = stack.pop()
        found.append(node)
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            stack.extend(ast.iter_child_nodes(node))
    return tuple(found)


def is_plugin_lookup(call: ast.AST, config: Config) -> bool:
    """A call that looks a plugin up: one whose rendered form matches a `...()` receiver pattern."""
    if not isinstance(call, ast.Call):
        return False
    lookups = [pattern for pattern in config.plugin_receivers if pattern.endswith("()")]
    return matches_any(render(call), lookups)


class RunnerCalls(Record):
    """The governance-relevant calls of one runner method, in source order."""

    function: FunctionNode
    lookups: tuple[ast.Call, ...]
    executions: tuple[ast.AST, ...]
    input_validations: tuple[ast.Call, ...]
    output_validations: tuple[ast.Call, ...]
    envelopes: tuple[ast.Call, ...]


def runner_calls(ctx: FileContext, function: FunctionNode) -> RunnerCalls:
    """The calls of `function` that the rules of sections 2-5 reason about: found in one walk,
    and once per file (every runner rule asks for them)."""
    key = ("runner_calls", function)
    found = ctx.memo.get(key)
    if found is None:
        found = ctx.memo[key] = _runner_calls(ctx, function)
    return found


def _runner_calls(ctx: FileContext, function: FunctionNode) -> RunnerCalls:
    config = ctx.config
    plugins = PluginNames(ctx.tree, config)
    named: dict[str, list[ast.Call]] = {name: [] for name in (
        config.validation.input_validator, config.validation.output_validator,
        config.envelope.function, config.metrics.function) if name}
    lookups, executions = [], []
    for node in walk_local(function):
        if isinstance(node, ast.Call):
            if is_plugin_lookup(node, config):
                lookups.append(node)
            name = called_name(node)
            if name in named:
                named[name].append(node)
        reference = method_reference(node, config.execution_methods)
        if reference is not None and plugins.is_plugin(reference.receiver, scope=function):
            parent = ctx.parents.get(node)
            executions.append(parent if isinstance(parent, ast.Call) and parent.func is node
                              else node)

    def ordered(nodes):
        return tuple(sorted(nodes, key=lambda n: (n.lineno, n.col_offset)))

    def calls_of(name):
        return ordered(named.get(name, ()) if name else ())

    return RunnerCalls(
        function=function,
        lookups=ordered(lookups),
        executions=ordered(executions),
        input_validations=calls_of(config.validation.input_validator),
        output_validations=calls_of(config.validation.output_validator),
        envelopes=calls_of(config.envelope.function),
    )


def describe_call(call: ast.AST) -> str:
    name = dotted_name(call.func) if isinstance(call, ast.Call) else None
    return f"{name}(...)" if name else ast.unparse(call)[:60]
