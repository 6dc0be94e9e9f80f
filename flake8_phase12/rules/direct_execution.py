"""GOV101: a plugin executed anywhere but the runner (checklist §1)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cached_property

from flake8_phase12.analysis.context import FileContext, Finding, module_matches
from flake8_phase12.analysis.plugins import (
    DYNAMIC_METHOD,
    MethodReference,
    PluginNames,
    execution_lines,
    handed_off_call,
    is_introspection,
    method_reference,
    walk_with_scope,
)
from flake8_phase12.analysis.runner_roles import hosted_runner_targets
from flake8_phase12.catalog import Rule
from flake8_phase12.config.model import Config
from flake8_phase12.analysis.names import dotted_name
from flake8_phase12.model.context import objects, plugin_type_test
from flake8_phase12.model.project import Ref
from flake8_phase12.rules import Check

DIRECT_PLUGIN_EXECUTION = Rule(
    code="GOV101",
    symbol="direct-plugin-execution",
    section=1,
    title="Plugin executed outside the runner",
    message="`{call}` executes a plugin outside the runner; call {runner} instead, "
            "so validation, error envelopes and metrics apply",
    docs="""
    ## What it does
    Flags every execution of a plugin outside the runner module (`tool_runner.py` by default;
    the module of every runner role, with `runner.also`), the configured `sanctioned_modules`
    and the modules of the `sanctioned_executors`: a call of an execution method (`run` by
    default, see `execution_methods`) on a plugin object, and the bound method passed on as a
    value, which executes it later (`executor.submit(plugin.run, x)`,
    `loop.run_in_executor(None, plugin.run, x)`, `functools.partial(plugin.run, x)`,
    `getattr(plugin, "run")`), and a plugin handed to a project function that executes whatever
    it is given (`run_in_executor(None, _run_in_thread, plugin, clip)` with the runner's private
    helper: the helper executes, but the caller bypassed the runner's entry method). Functions
    of the `sanctioned_modules` may be handed plugins, and so may the runner roles themselves
    (`runner` and `runner.also`: handing a plugin to one is executing it through the runner);
    who may call a sanctioned executor is GOV102's question.

    Plugin objects are recognised by type through the project model: an instance of a class
    deriving from a configured plugin base class, wherever both are defined (`Ocr()`, `cls()`
    for `cls` in a tuple of plugin classes), the result of a call annotated to return a plugin
    (`catalog.resolve(name)`), an element of a container so annotated (`for p in
    catalog.all()`), a parameter or `self` attribute annotated with a plugin class (through
    aliases and `Annotated`) or assigned one in `__init__`. They are recognised by name too
    (`plugin_receivers`: `plugin`, `*_plugin`, `self._plugins[...]`, `registry.get(...)`, ...),
    with local aliases (`p = plugin`) and loop variables over plugin collections. The pylint
    plugin also recognises them by inferred type.

    `subprocess.run`, `asyncio.run`, `uvicorn.run`, a thread's `run()`, `self.run()` of any
    class, strings, comments and docstrings are never flagged; neither are excluded paths
    (tests by default).

    ## Why is this bad?
    The runner is the only place where a plugin's input is validated, its output checked, its
    exceptions turned into the structured error envelope and the registry metrics updated. A
    direct call skips all four: the caller can receive raw exceptions and unvalidated output,
    and the registry never learns that the plugin ran.

    ## Example
    ```python
    class PluginManagementService:
        def execute_plugin(self, name, payload):
            plugin = self._registry.get(name)
            return plugin.run(payload)
    ```

    ## Use instead
    ```python
    class PluginManagementService:
        def execute_plugin(self, name, payload):
            return self._runner.run(name, payload)
    ```
    """,
)

RULES = (DIRECT_PLUGIN_EXECUTION,)


def runner_description(config: Config) -> str:
    """The runner as the fix names it: `ToolRunner.run(...)`, then any other runner role."""
    runner = config.runner
    primary = f"`{runner.function}(...)`" if runner.function \
        else f"`{runner.class_name}.{runner.method}(...)`"
    others = (f"`{target.owner}.{target.name}(...)`" if target.owner else f"`{target.name}(...)`"
              for target in runner.also_targets)
    return " or ".join(dict.fromkeys((primary, *others)))


class DirectExecutionCheck(Check):
    """GOV101: plugins are executed only inside the ToolRunner."""
    rules = RULES

    def run(self, ctx: FileContext) -> Iterator[Finding]:
        methods = ctx.config.execution_methods
        plugins = PluginNames(ctx.tree, ctx.config, ctx.parents, typed=plugin_type_test(ctx))
        runner = runner_description(ctx.config)
        lines = execution_lines(ctx.source, methods) if ctx.source else None
        # A runner role hosted here (a composition root's closure) executes plugins as the
        # runner does; the rest of the module does not.
        hosted = _hosted_spans(ctx) if hosted_runner_targets(ctx.config) else ()
        for node, parent, scope in walk_with_scope(ctx.tree, lines):
            reference = method_reference(node, methods, dynamic=True)
            if reference is None or _within(node, hosted) \
                    or not plugins.is_plugin(reference.receiver, at=node, scope=scope):
                continue
            if is_introspection(reference, parent):
                continue
            if reference.method == DYNAMIC_METHOD and not _runs(node, parent):
                continue  # `getattr(plugin, name)` looked at, not called or handed on
            yield ctx.finding(DIRECT_PLUGIN_EXECUTION, node,
                              call=_describe(reference, parent), runner=runner)
        yield from _handed_to_executing_helpers(ctx, plugins, runner, hosted)


def _hosted_spans(ctx: FileContext) -> tuple[tuple[int, int], ...]:
    """The lines of the runner roles this module hosts."""
    # Imported here: only a project with a hosted runner role needs the runner's analysis.
    from flake8_phase12.analysis.runner import runner_methods

    return tuple((function.lineno, function.end_lineno or function.lineno)
                 for function in runner_methods(ctx))


def _within(node: ast.AST, spans: tuple[tuple[int, int], ...]) -> bool:
    line = getattr(node, "lineno", 0)
    return any(start <= line <= end for start, end in spans)


def _handed_to_executing_helpers(ctx: FileContext, plugins: PluginNames, runner: str,
                                 hosted: tuple[tuple[int, int], ...]) -> Iterator[Finding]:
    """Calls that hand a plugin to a project function (a private helper of the runner module
    included) which executes the parameter it lands in, directly or through an executor
    hand-off. Functions of the sanctioned modules and the runner roles may be handed plugins."""
    config = ctx.config
    callees = _Callees(ctx)
    for node in ctx.nodes:
        if not isinstance(node, ast.Call) or not (node.args or node.keywords) \
                or _within(node, hosted):
            continue  # a call without arguments hands nothing on
        try:
            for target, arguments in ((node.func, node.args), handed_off_call(node)):
                ref = callees.project_function(target)
                if ref is not None:
                    break
        except RecursionError:  # a machine-made callee thousands of levels deep
            continue
        if ref is None or module_matches(ref.module, config.execution_modules) \
                or _is_runner_role(config, ref):
            continue  # a sanctioned module (a sandbox), or the runner itself, may be handed plugins
        executed, positional = _executed_parameters(ctx, ref)
        if not executed or callees.shadowed(target, node):
            continue  # asked last: a function that executes a parameter is rarely called
        passed = list(zip(positional, arguments))
        if target is node.func:
            passed += [(keyword.arg, keyword.value) for keyword in node.keywords if keyword.arg]
        for name, argument in passed:
            if name in executed and plugins.is_plugin(argument, at=node):
                via = () if target is node.func else (f"{ref.qualname}(...)",)
                steps = (_describe_call(node), *via, *executed[name])
                yield ctx.finding(DIRECT_PLUGIN_EXECUTION, node, call="` -> `".join(steps), runner=runner)
                break


def _executed_parameters(ctx: FileContext, ref: Ref) -> tuple[dict[str, tuple[str, ...]], list[str]]:
    """The parameters a project function executes (each with how), and the names of its
    positional parameters; nothing when it executes none."""
    model = objects(ctx).model
    executed = model.executed_parameters(ref, ctx.config.execution_methods)
    function = model.function(ref)
    if not executed or function is None:
        return {}, []
    return executed, [param.name for param in function.params if param.kind == "positional"]


def _is_runner_role(config: Config, ref: Ref) -> bool:
    """Whether a project function is one of the runner roles (`runner`, `runner.also`)."""
    return any(ref.qualname in (target.qualname, ".".join(target.path))
               and module_matches(ref.module, (target.module,))
               for target in config.runner.targets)


# What a function's own names belong to: a parameter of a lambda is its own, too.
SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


class _Callees:
    """The project functions a file's calls name, resolved by the model only for names the
    model can resolve (read off the tree first: most callees are methods, locals and builtins)."""

    def __init__(self, ctx: FileContext) -> None:
        self.ctx = ctx
        self.resolvable = _resolvable_names(ctx)

    def project_function(self, target: ast.AST | None) -> Ref | None:
        """The project function `target` names in the module (not a method reached through
        `self`); whether the function around the call rebinds the name is `shadowed`."""
        written = dotted_name(target) if target is not None else None
        if not written:
            return None
        head = written.split(".", 1)[0]
        if head in ("self", "cls") or self.resolvable is not None and head not in self.resolvable:
            return None
        project = objects(self.ctx)
        ref = project.model.resolve(project.module, written)
        return ref if ref is not None and ref.kind == "function" else None

    def shadowed(self, target: ast.AST | None, call: ast.Call) -> bool:
        """Whether the function around `call` binds the callee's name for itself
        (`apply = print`): then it is not the module's `apply`."""
        written = dotted_name(target) if target is not None else None
        rebound = self._rebound.get(written.split(".", 1)[0]) if written else None
        return bool(rebound) and self.ctx.enclosing(call, *SCOPES) in rebound

    @cached_property
    def _rebound(self) -> dict[str, set[ast.AST]]:
        """The functions that bind a module-level name for themselves (a parameter, an
        assignment, a nested definition), by name; a `global` declaration undoes it. One pass
        over the file's nodes."""
        rebound: dict[str, set[ast.AST]] = {}
        declared: dict[str, set[ast.AST]] = {}
        for node in self.ctx.nodes:
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names: list[str] = [node.id]
            elif isinstance(node, ast.arg):
                names = [node.arg]
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names = [node.name]
            elif isinstance(node, (ast.Global, ast.Nonlocal)):
                for name in node.names:
                    declared.setdefault(name, set()).add(self.ctx.enclosing(node, *SCOPES))
                continue
            else:
                continue
            for name in names:
                if self.resolvable is None or name in self.resolvable:
                    scope = self.ctx.enclosing(node, *SCOPES)
                    if scope is not None:
                        rebound.setdefault(name, set()).add(scope)
        for name, scopes in declared.items():
            rebound.get(name, set()).difference_update(scopes)
        return rebound


def _resolvable_names(ctx: FileContext) -> frozenset[str] | None:
    """The names the model can resolve a callee from, read off the tree without the model:
    what the module defines or assigns outside functions and classes, and what it imports
    anywhere. A local variable, a parameter or a builtin names no project function. None when
    a star import may bring in any name."""
    names = set(ctx.imported_names)
    if "*" in names:
        return None
    for statement in ctx.tree.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(statement.name)
            continue
        for node in ast.walk(statement):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)  # under `if`/`try` at module level
    return frozenset(names)


def _runs(node: ast.AST, parent: ast.AST | None) -> bool:
    """Whether `node` (a callable) is called, or handed to a call that runs it."""
    if not isinstance(parent, ast.Call):
        return False
    if parent.func is node:
        return True
    target, _ = handed_off_call(parent)
    return target is node


def _describe_call(call: ast.Call) -> str:
    text = ast.unparse(call.func) + "(...)"
    return text if len(text) <= 60 else text[:57] + "..."


def _describe(reference: MethodReference, parent: ast.AST | None) -> str:
    text = ast.unparse(reference.node)
    if isinstance(parent, ast.Call) and parent.func is reference.node:
        text += "(...)"
    return text if len(text) <= 60 else text[:57] + "..."


CHECKS = (DirectExecutionCheck,)
