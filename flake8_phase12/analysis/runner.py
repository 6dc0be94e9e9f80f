"""Finding the runner's execution method and the calls that matter inside it.

Shared by the rules of sections 2-5, which all reason about the same method: where the input
validator, the plugin lookup, the execution, the output validator, the envelope and the metrics
update sit relative to each other and to the `try` that guards them.

What a function does with plugins is read from its code (`function_model`), not only from names:
a local value whose execution method is called or handed to an executor (`extractor.process(doc)`,
`asyncio.to_thread(target.run_tool, ...)`) is a plugin, and the call or subscript it was bound
from (`catalog.resolve(name)`, `self._plugins[name]`) is the plugin lookup, whatever the
receivers are called. A plugin handed to a private helper of the module that executes it
(`await self._run(analyser, clip)`, `loop.run_in_executor(pool, _drive, analyser, clip)`) or to
a callable injected through the constructor (`self._execute(plugin, payload)`) is executed by
that call. Values that come from the standard library (`contextvars.copy_context().run(...)`)
are never plugins.
"""

from __future__ import annotations

import ast
import builtins
import sys
from collections.abc import Iterable, Iterator
from functools import lru_cache

from flake8_phase12.analysis.context import FileContext
from flake8_phase12.analysis.flow import FlowTooLarge, LocalFunctions
from flake8_phase12.analysis.local import local_nodes, walk_local
from flake8_phase12.analysis.names import (
    dotted_name,
    is_declaration,
    is_protocol_class,
    matches_any,
    render,
)
from flake8_phase12.analysis.plugins import PluginNames, is_introspection, method_reference
from flake8_phase12.analysis.runner_roles import runner_layer_modules
from flake8_phase12.records import Record

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


def runner_methods(ctx: FileContext) -> list[FunctionNode]:
    """The runner roles defined in this file (`runner` and `runner.also` whose module pattern
    the file matches): `ToolRunner.run`, a plain function, a method of another class, a function
    nested in another (a closure handed to a constructor).

    Declarations are not implementations: a method of a `Protocol`, an abstract or `@overload`
    method, and a body that is only `...`, `pass`, a docstring or `raise NotImplementedError`
    (as in `.pyi` stubs) are left out, because nothing in them executes a plugin."""
    key = ("runner_methods",)
    if key not in ctx.memo:
        targets = [target.path for target in ctx.config.runner.targets
                   if ctx.module_matches(target.module)]
        found = {id(node): node for path in targets for node in _defined(ctx.tree, path)}
        ctx.memo[key] = tuple(sorted(found.values(), key=lambda node: node.lineno))
    return list(ctx.memo[key])


def _defined(scope: ast.AST, path: tuple[str, ...]) -> Iterator[FunctionNode]:
    """The functions `path` names below `scope`: a class's method, a function's nested function
    (at any depth of its body, not in another nested scope), a module's top-level definition."""
    name, rest = path[0], path[1:]
    if isinstance(scope, ast.Module):
        candidates: Iterable[ast.AST] = scope.body
    elif isinstance(scope, ast.ClassDef):
        if is_protocol_class(scope):
            return
        candidates = scope.body
    else:
        candidates = local_nodes(scope)
    for node in candidates:
        if getattr(node, "name", None) != name:
            continue
        if rest and isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            yield from _defined(node, rest)
        elif not rest and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) \
                and not is_declaration(node):
            yield node


def execution_functions(ctx: FileContext) -> list[FunctionNode]:
    """The runner's execution method(s), plus every other public function or method of the
    runner module that executes a plugin itself (`ToolRunner.run_batch`, the coroutine twin
    `run_async`): each is a way in and must govern its executions. Private helpers (`_invoke`)
    are left to their callers, where a call of one that executes a plugin is the execution. In
    a module that only hosts a runner role (see `runner_roles.hosted_runner_targets`), the role alone."""
    key = ("execution_functions",)
    if key not in ctx.memo:
        ctx.memo[key] = _execution_functions(ctx)
    return list(ctx.memo[key])


def _execution_functions(ctx: FileContext) -> tuple[FunctionNode, ...]:
    found = runner_methods(ctx)
    if not ctx.module_matches(*runner_layer_modules(ctx.config)):
        # A module hosting a runner role (a composition root's closure): the role alone is the
        # runner here; another function of it executing a plugin is a bypass (GOV101).
        return tuple(found)
    candidates = [node for node in ctx.tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]
    for node in ctx.tree.body:
        if isinstance(node, ast.ClassDef):
            candidates.extend(item for item in node.body
                              if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)))
    for function in candidates:
        if function in found or function.name.startswith("_"):
            continue
        if function_model(ctx, function).executions:
            found.append(function)
    return tuple(sorted(found, key=lambda function: function.lineno))


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


def calls_or_hands_off(node: ast.AST, name: str) -> bool:
    """`validate(raw)`, or `await asyncio.to_thread(validate, raw)`: a call of `name`, or a call
    that hands `name` to an executor with the arguments after it."""
    if is_call_to(node, name):
        return True
    return bool(name) and isinstance(node, ast.Call) and any(
        isinstance(argument, (ast.Name, ast.Attribute))
        and (argument.id if isinstance(argument, ast.Name) else argument.attr) == name
        for argument in node.args)


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
    model = function_model(ctx, function)
    named: dict[str, list[ast.Call]] = {name: [] for name in (
        config.validation.input_validator, config.validation.output_validator,
        config.envelope.function, config.metrics.function) if name}
    for node in walk_local(function):
        if isinstance(node, ast.Call):
            name = called_name(node)
            if name in named:
                named[name].append(node)

    def ordered(nodes):
        return tuple(sorted(nodes, key=lambda n: (n.lineno, n.col_offset)))

    def calls_of(name):
        return ordered(named.get(name, ()) if name else ())

    return RunnerCalls(
        function=function,
        lookups=model.lookups,
        executions=model.executions,
        input_validations=calls_of(config.validation.input_validator),
        output_validations=calls_of(config.validation.output_validator),
        envelopes=calls_of(config.envelope.function),
    )


class Validations(Record):
    """The calls of one function that validate the input and the output (directly, handed to an
    executor, or through a same-file helper that always does), in source order."""

    input: tuple[ast.Call, ...]
    output: tuple[ast.Call, ...]


def validations(ctx: FileContext, function: FunctionNode) -> Validations:
    """The input and output validations of `function`. When both validators have the same name
    (`InputGate.check` and `OutputGate.check`, both configured as `check`), a call is an output
    validation when it is given a value the plugin execution returned, else an input one."""
    key = ("validations", function)
    found = ctx.memo.get(key)
    if found is None:
        found = ctx.memo[key] = _validations(ctx, function)
    return found


def _validations(ctx: FileContext, function: FunctionNode) -> Validations:
    config = ctx.config.validation
    helpers = LocalFunctions.around(ctx.tree, function, ctx.parents)

    def performing(name: str) -> tuple[ast.Call, ...]:
        if not name:
            return ()
        return tuple(helpers.calls_performing(function, lambda call: calls_or_hands_off(call, name)))

    inputs, outputs = performing(config.input_validator), performing(config.output_validator)
    if config.input_validator and config.input_validator == config.output_validator:
        executions = function_model(ctx, function).executions
        carriers = execution_values(function, executions)
        outputs = tuple(call for call in outputs if carries_execution(call, carriers, executions))
        inputs = tuple(call for call in inputs if call not in outputs)
    return Validations(input=inputs, output=outputs)


def validator_written(ctx: FileContext, kind: str) -> str:
    """The validator of `kind` ("input" or "output") as a message names it: as this file writes a
    call of it (`InputGate.check`), else its configured name, with its kind when both validators
    share the name (`the output validator check`)."""
    key = ("validator_written", kind)
    if key not in ctx.memo:
        config = ctx.config.validation
        name = config.input_validator if kind == "input" else config.output_validator
        written = None
        try:
            for function in execution_functions(ctx):
                found = validations(ctx, function)
                written = next((text for call in (found.input if kind == "input" else found.output)
                                if is_call_to(call, name) and (text := dotted_name(call.func))),
                               None)
                if written:
                    break
        except FlowTooLarge:
            written = None
        same = bool(name) and config.input_validator == config.output_validator
        ctx.memo[key] = written or (f"the {kind} validator {name}" if same else name)
    return ctx.memo[key]


def names_a_library_function(ctx: FileContext, name: str) -> bool:
    """Whether this file calls `name` only as a function of the standard library
    (`asyncio.to_thread`, `to_thread` imported from `asyncio`): a validator configured under
    that name is not one, and what it would say about validation is unknown here."""
    key = ("library_function", name)
    if key not in ctx.memo:
        calls = [node for node in ctx.nodes if is_call_to(node, name)]
        ctx.memo[key] = bool(calls) and all(_library_rooted(call.func, ctx) for call in calls) \
            and not any(isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
                        and node.name == name for node in ctx.nodes)
    return ctx.memo[key]


def _library_rooted(node: ast.AST, ctx: FileContext) -> bool:
    while isinstance(node, ast.Attribute):
        node = node.value
    origin = ctx.imported_names.get(node.id) if isinstance(node, ast.Name) else None
    return origin is not None and origin.split(".")[0] in STANDARD_LIBRARY


def execution_values(function: FunctionNode, executions: tuple[ast.AST, ...] | list[ast.AST]
                     ) -> set[str]:
    """Local names that hold (something derived from) a value a plugin execution returned."""
    return set(_execution_values(function, tuple(executions)))


# Keyed by the nodes themselves (they hash by identity): sections 2 and 3 ask it several times.
@lru_cache(maxsize=64)
def _execution_values(function: FunctionNode, executions: tuple[ast.AST, ...]) -> frozenset[str]:
    names: set[str] = set()
    bindings = list(_value_bindings(function))
    changed = True
    while changed:
        changed = False
        for targets, value in bindings:
            if not targets <= names and mentions_execution(value, names, executions):
                names |= targets
                changed = True
    return frozenset(names)


def _value_bindings(function: FunctionNode) -> Iterator[tuple[set[str], ast.AST]]:
    for node in walk_local(function):
        if isinstance(node, ast.Assign):
            yield _target_names(node.targets), node.value
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)) and node.value is not None:
            yield _target_names([node.target]), node.value
        elif isinstance(node, ast.NamedExpr):
            yield {node.target.id}, node.value
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                if item.optional_vars is not None:
                    yield _target_names([item.optional_vars]), item.context_expr


def _target_names(targets: list[ast.expr]) -> set[str]:
    return {node.id for target in targets for node in ast.walk(target)
            if isinstance(node, ast.Name)}


def mentions_execution(value: ast.AST, names: set[str],
                       executions: tuple[ast.AST, ...] | list[ast.AST]) -> bool:
    """Whether `value` contains an execution or a name holding what one returned."""
    return any(node in executions or (isinstance(node, ast.Name) and node.id in names)
               for node in ast.walk(value))


def carries_execution(call: ast.Call, names: set[str],
                      executions: tuple[ast.AST, ...] | list[ast.AST]) -> bool:
    """Whether an argument of `call` carries a value a plugin execution returned (or `call`
    is itself an execution: a helper that executes and validates)."""
    if call in executions:
        return True
    arguments = [*call.args, *(keyword.value for keyword in call.keywords)]
    return any(mentions_execution(argument, names, executions) for argument in arguments)


# --- what a function does with plugins, read from its code -----------------------------------

STANDARD_LIBRARY = frozenset(getattr(sys, "stdlib_module_names", ())) | {"asyncio", "concurrent"}


class FunctionModel(Record):
    """The plugin objects of one function of the runner module and what it does with them."""

    # Local names (parameters included) that hold a plugin object.
    plugins: frozenset[str] = frozenset()
    # The nodes that look a plugin up: a call or subscript whose result is a plugin, in order.
    lookups: tuple[ast.AST, ...] = ()
    # The nodes that execute a plugin: the call of its execution method, the method handed to an
    # executor, or the call of a helper or injected executor that executes it; in order.
    executions: tuple[ast.AST, ...] = ()
    # The parameters whose plugin the function executes (for its callers).
    executed: frozenset[str] = frozenset()


EMPTY_MODEL = FunctionModel()


def function_model(ctx: FileContext, function: FunctionNode) -> FunctionModel:
    """What `function` does with plugins, computed once per file (see the module docstring)."""
    found = ctx.memo.get(("function_model", function))
    if found is None:
        found = _Modeller(ctx).model(function)
    return found


class _Modeller:
    """Builds `FunctionModel`s, following same-file helpers a few levels deep."""

    MAX_DEPTH = 3

    def __init__(self, ctx: FileContext) -> None:
        self.ctx = ctx
        self.methods = ctx.config.execution_methods
        self.names = PluginNames(ctx.tree, ctx.config)
        self.lookup_patterns = [pattern for pattern in ctx.config.plugin_receivers
                                if pattern.endswith("()")]
        self.subscript_patterns = [pattern for pattern in ctx.config.plugin_receivers
                                   if pattern.endswith("[]")]
        self.plugin_names = [pattern for pattern in ctx.config.plugin_receivers
                             if not pattern.endswith(("()", "[]"))]
        self._active: set[ast.AST] = set()

    def model(self, function: FunctionNode, depth: int = 0) -> FunctionModel:
        key = ("function_model", function)
        found = self.ctx.memo.get(key)
        if found is not None:
            return found
        if function in self._active or depth > self.MAX_DEPTH:
            return EMPTY_MODEL  # recursion, or too deep: proves nothing (and is not kept)
        self._active.add(function)
        try:
            found = _FunctionReading(self, function, depth).model()
        finally:
            self._active.discard(function)
        self.ctx.memo[key] = found
        return found


class _FunctionReading:
    """One function read by `_Modeller`."""

    def __init__(self, modeller: _Modeller, function: FunctionNode, depth: int) -> None:
        self.modeller = modeller
        self.ctx = modeller.ctx
        self.function = function
        self.depth = depth
        owner = self.ctx.parents.get(function)
        self.owner = owner if isinstance(owner, ast.ClassDef) else None
        self.helpers = LocalFunctions(self.ctx.tree, self.owner)
        self.parameters = _parameters(function, bound=self.owner is not None
                                      and not _is_static(function))
        self.bindings = list(_simple_bindings(function))
        self.values_of: dict[str, list[ast.AST]] = {}
        for name, value in self.bindings:
            self.values_of.setdefault(name, []).append(value)
        self.local = set(self.parameters) | set(self.values_of) | _other_bound_names(function)
        # Locals only ever bound from the standard library (`loop = asyncio.get_running_loop()`),
        # through one another too.
        self.from_library: set[str] = set()
        for _ in range(2):
            self.from_library = {name for name in self.values_of if self._only_from_library(name)}

    def model(self) -> FunctionModel:
        plugins: set[str] = set()
        executed: set[str] = set()
        executions: list[ast.AST] = []
        lookups: list[ast.AST] = []
        nodes = local_nodes(self.function)
        # Names that are plugins by their name, annotation or an alias (`PluginNames`).
        names = self.modeller.names
        plugins.update(name for name in self.local
                       if matches_any(name, self.modeller.plugin_names)
                       or names.holds_plugin(name, self.function))
        references = self._references(nodes, plugins)
        calls = [node for node in nodes if isinstance(node, ast.Call)]
        helper_executions = self._helper_executions(calls, plugins, executed, lookups)
        plugins |= self._aliases_of(plugins)
        for reference in references:
            receiver = _unawaited(reference.receiver)
            if self._is_plugin(receiver, plugins):
                parent = self.ctx.parents.get(reference.node)
                executions.append(parent if isinstance(parent, ast.Call)
                                  and parent.func is reference.node else reference.node)
                if isinstance(receiver, ast.Name):
                    executed.add(receiver.id)
                elif isinstance(receiver, (ast.Call, ast.Subscript)):
                    lookups.append(receiver)  # `self._catalog[name].process(doc)`
        executions.extend(helper_executions)
        executions.extend(self._injected_executions(calls, plugins, executed, executions))
        lookups.extend(self._bound_lookups(plugins, executions))
        lookups.extend(self._pattern_lookups(nodes))
        executed |= self._aliases_of(executed)
        return FunctionModel(
            plugins=frozenset(plugins),
            lookups=_ordered_unique(lookups),
            executions=_ordered_unique(executions),
            executed=frozenset(executed & set(self.parameters)),
        )

    def _references(self, nodes: tuple[ast.AST, ...], plugins: set[str]) -> list:
        """The execution-method references of the function (introspection left out); each local
        name whose method is referenced is a plugin, by use."""
        references = []
        for node in nodes:
            reference = method_reference(node, self.modeller.methods)
            if reference is not None and not is_introspection(reference, self.ctx.parents.get(node)):
                references.append(reference)
                receiver = _unawaited(reference.receiver)
                if isinstance(receiver, ast.Name) and self._may_hold_plugin(receiver.id):
                    plugins.add(receiver.id)
        return references

    def _helper_executions(self, calls: list[ast.Call], plugins: set[str], executed: set[str],
                           lookups: list[ast.AST]) -> list[ast.Call]:
        """Calls of same-file helpers that execute a plugin: the plugin they are handed, or one
        they look up themselves (then private helpers only: a public one is a way in of its own
        and governs what it executes)."""
        found: list[ast.Call] = []
        for call in calls:
            handed = self._helper_arguments(call)
            if handed is None:
                continue
            helper, pairs, direct = handed
            inner = self.modeller.model(helper, self.depth + 1)
            executed_arguments = [argument for argument, parameter in pairs
                                  if parameter in inner.executed]
            for argument in executed_arguments:
                if isinstance(argument, ast.Name) and argument.id in self.local:
                    plugins.add(argument.id)
                    executed.add(argument.id)
            private = helper.name.startswith("_")
            if executed_arguments or (inner.executions and (private or not direct)):
                found.append(call)
                if direct and private and inner.lookups:
                    lookups.append(call)  # `self._resolve_and_run(name, payload)`
        return found

    def _may_hold_plugin(self, name: str) -> bool:
        """A local value of this function (not a module, not a global), not from the library."""
        return name in self.local and name not in self.from_library

    def _is_plugin(self, receiver: ast.AST, plugins: set[str]) -> bool:
        if isinstance(receiver, ast.Name) and receiver.id in plugins:
            return True
        if self.modeller.names.is_plugin(receiver, scope=self.function):
            return True
        if isinstance(receiver, ast.Subscript):
            return not self._from_library(receiver.value)
        if isinstance(receiver, ast.Call):
            return not self._from_library(receiver.func) and not self._is_builtin(receiver.func)
        return False

    def _is_builtin(self, node: ast.AST) -> bool:
        """`super()` in `super().run(...)`: a builtin this file does not shadow."""
        return isinstance(node, ast.Name) and node.id not in self.local \
            and node.id not in self.ctx.imported_names and hasattr(builtins, node.id)

    def _from_library(self, node: ast.AST) -> bool:
        """An expression rooted in a standard-library import (`contextvars.copy_context`)."""
        while isinstance(node, (ast.Attribute, ast.Call, ast.Subscript)):
            node = node.func if isinstance(node, ast.Call) else node.value
        if not isinstance(node, ast.Name):
            return False
        if node.id in self.local:
            return node.id in self.from_library
        origin = self.ctx.imported_names.get(node.id)
        return origin is not None and origin.split(".")[0] in STANDARD_LIBRARY

    def _only_from_library(self, name: str) -> bool:
        values = self.values_of.get(name, ())
        return bool(values) and name not in self.parameters \
            and all(isinstance(_unawaited(value), ast.Call) and self._from_library(_unawaited(value))
                    for value in values)

    def _aliases_of(self, names: set[str]) -> set[str]:
        """Names bound to one another (`target = plugin`), both ways, a few levels deep."""
        found = set(names)
        pairs = [(name, value.id) for name, value in self.bindings if isinstance(value, ast.Name)]
        for _ in range(3):
            for left, right in pairs:
                if left in found and right in self.local:
                    found.add(right)
                if right in found:
                    found.add(left)
        return found

    def _helper_arguments(self, call: ast.Call
                          ) -> tuple[FunctionNode, list[tuple[ast.AST, str]], bool] | None:
        """The same-file helper `call` runs and which argument goes to which of its parameters:
        called directly (`self._run(analyser, clip)`), or handed to an executor with its
        arguments after it (`loop.run_in_executor(pool, _drive, analyser, clip)`)."""
        helper = self.helpers.resolve(call)
        if helper is not None and helper is not self.function:
            return helper, _pair_arguments(helper, call.args, call.keywords,
                                           bound=isinstance(call.func, ast.Attribute)), True
        for index, argument in enumerate(call.args):
            referenced = self._helper_reference(argument)
            if referenced is not None and referenced is not self.function:
                return referenced, _pair_arguments(
                    referenced, call.args[index + 1:], [],
                    bound=isinstance(argument, ast.Attribute)), False
        return None

    def _helper_reference(self, node: ast.AST) -> FunctionNode | None:
        if isinstance(node, ast.Name):
            return self.helpers.module_functions.get(node.id)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                and node.value.id in ("self", "cls"):
            return self.helpers.methods.get(node.attr)
        return None

    def _injected_executions(self, calls: list[ast.Call], plugins: set[str], executed: set[str],
                             known: list[ast.AST]) -> Iterator[ast.Call]:
        """`self._execute(plugin, payload)`: a plugin handed to a callable the constructor was
        given (an executor, a sandbox)."""
        injected = _injected_attributes(self.owner)
        if not injected:
            return
        known_ids = {id(node) for node in known}
        for call in calls:
            func = call.func
            while isinstance(func, ast.Attribute) and not _is_self_attribute(func):
                func = func.value
            if not _is_self_attribute(func) or func.attr not in injected or id(call) in known_ids:
                continue
            handed = [argument for argument in call.args
                      if isinstance(argument, ast.Name) and argument.id in plugins]
            if handed and not any(id(inner) in known_ids for inner in ast.walk(call)):
                executed.update(argument.id for argument in handed)
                yield call

    def _bound_lookups(self, plugins: set[str], executions: list[ast.AST]) -> Iterator[ast.AST]:
        """The calls and subscripts the plugin names are bound from: `catalog.resolve(name)`."""
        execution_ids = {id(node) for node in executions}
        for name, value in self.bindings:
            value = _unawaited(value)
            if name in plugins and isinstance(value, (ast.Call, ast.Subscript)) \
                    and id(value) not in execution_ids and not self._from_library(value):
                yield value

    def _pattern_lookups(self, nodes: tuple[ast.AST, ...]) -> Iterator[ast.AST]:
        """Calls and subscripts matching a `...()` or `...[]` pattern of `plugin_receivers`."""
        for node in nodes:
            if isinstance(node, ast.Call) and self.modeller.lookup_patterns \
                    and matches_any(render(node), self.modeller.lookup_patterns):
                yield node
            elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load) \
                    and self.modeller.subscript_patterns \
                    and matches_any(render(node), self.modeller.subscript_patterns):
                yield node


def _unawaited(node: ast.AST) -> ast.AST:
    return node.value if isinstance(node, ast.Await) else node


def _ordered_unique(nodes: list[ast.AST]) -> tuple[ast.AST, ...]:
    seen: dict[int, ast.AST] = {}
    for node in nodes:
        seen.setdefault(id(node), node)
    return tuple(sorted(seen.values(), key=lambda n: (n.lineno, n.col_offset)))


def _is_static(function: FunctionNode) -> bool:
    return any(isinstance(decorator, ast.Name) and decorator.id == "staticmethod"
               for decorator in function.decorator_list)


def _parameters(function: FunctionNode, bound: bool) -> list[str]:
    arguments = function.args
    names = [arg.arg for arg in (*arguments.posonlyargs, *arguments.args)]
    if bound and names:
        names = names[1:]
    names += [arg.arg for arg in arguments.kwonlyargs]
    for extra in (arguments.vararg, arguments.kwarg):
        if extra is not None:
            names.append(extra.arg)
    return names


def _positional_parameters(function: FunctionNode, bound: bool) -> list[str]:
    arguments = function.args
    names = [arg.arg for arg in (*arguments.posonlyargs, *arguments.args)]
    return names[1:] if bound and names else names


def _pair_arguments(helper: FunctionNode, arguments: list[ast.expr], keywords: list[ast.keyword],
                    bound: bool) -> list[tuple[ast.AST, str]]:
    """(argument, parameter name) for the arguments a call gives `helper`; `bound` when the
    helper is reached through `self.`/`cls.` (its first parameter is not among them)."""
    positional = _positional_parameters(helper, bound and not _is_static(helper))
    pairs: list[tuple[ast.AST, str]] = []
    for argument, parameter in zip(arguments, positional):
        if isinstance(argument, ast.Starred):
            break
        pairs.append((argument, parameter))
    pairs.extend((keyword.value, keyword.arg) for keyword in keywords if keyword.arg is not None)
    return pairs


def _simple_bindings(function: FunctionNode) -> Iterator[tuple[str, ast.AST]]:
    """(name, value) for `name = value`, `name: T = value` and `(name := value)`."""
    for node in local_nodes(function):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    yield target.id, node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) \
                and node.value is not None:
            yield node.target.id, node.value
        elif isinstance(node, ast.NamedExpr):
            yield node.target.id, node.value


def _other_bound_names(function: FunctionNode) -> set[str]:
    """Names bound otherwise: loop and `with` targets, unpacking, annotations alone."""
    found: set[str] = set()
    for node in local_nodes(function):
        targets: list[ast.AST] = []
        if isinstance(node, (ast.For, ast.AsyncFor)):
            targets = [node.target]
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            targets = [item.optional_vars for item in node.items if item.optional_vars is not None]
        elif isinstance(node, ast.Assign):
            targets = [target for target in node.targets if not isinstance(target, ast.Name)]
        elif isinstance(node, ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            found.update(name.id for name in ast.walk(target) if isinstance(name, ast.Name))
    return found


def _is_self_attribute(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
        and node.value.id == "self"


def _injected_attributes(owner: ast.ClassDef | None) -> frozenset[str]:
    """Attributes the constructor sets from one of its parameters (`self._execute = execute`,
    `self._execute = execute or default`): collaborators given from outside."""
    if owner is None:
        return frozenset()
    init = next((node for node in owner.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
                 and node.name == "__init__"), None)
    if init is None:
        return frozenset()
    parameters = set(_parameters(init, bound=True))
    found: set[str] = set()
    for node in local_nodes(init):
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(part, ast.Name) and part.id in parameters
                   for part in ast.walk(node.value)):
                found.update(target.attr for target in targets if _is_self_attribute(target))
    return frozenset(found)


def injected_attribute_default(owner: ast.ClassDef | None, attribute: str) -> ast.expr | None:
    """The default of the constructor parameter `self.<attribute>` is set from, when the
    constructor assigns it straight from one parameter (`self._clock = clock` with
    `clock=time.perf_counter`); None otherwise."""
    if owner is None:
        return None
    init = next((node for node in owner.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
                 and node.name == "__init__"), None)
    if init is None:
        return None
    defaults = _parameter_defaults(init)
    sources = [node.value for node in local_nodes(init)
               if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None
               and any(_is_self_attribute(target) and target.attr == attribute
                       for target in (node.targets if isinstance(node, ast.Assign) else [node.target]))]
    if len(sources) != 1 or not isinstance(sources[0], ast.Name):
        return None
    return defaults.get(sources[0].id)


def _parameter_defaults(function: FunctionNode) -> dict[str, ast.expr]:
    arguments = function.args
    positional = [*arguments.posonlyargs, *arguments.args]
    found = {arg.arg: default for arg, default
             in zip(positional[len(positional) - len(arguments.defaults):], arguments.defaults)}
    found.update({arg.arg: default for arg, default in zip(arguments.kwonlyargs, arguments.kw_defaults)
                  if default is not None})
    return found


def describe_call(call: ast.AST) -> str:
    name = dotted_name(call.func) if isinstance(call, ast.Call) else None
    return f"{name}(...)" if name else ast.unparse(call)[:60]
