"""GOV101: a plugin executed anywhere but the runner (checklist §1)."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from flake8_phase12.analysis.check import Check
from flake8_phase12.analysis.context import FileContext, Finding
from flake8_phase12.analysis.execution_text import may_execute_plugins
from flake8_phase12.analysis.plugins import (
    MethodReference,
    PluginNames,
    execution_lines,
    is_introspection,
    method_reference,
    walk_with_scope,
)
from flake8_phase12.catalog import Rule
from flake8_phase12.config.model import Config

DIRECT_PLUGIN_EXECUTION = Rule(
    code="GOV101",
    symbol="direct-plugin-execution",
    section=1,
    title="Plugin executed outside the runner",
    checklist_item="ToolRunner is the ONLY execution entry point",
    message="`{call}` executes a plugin outside the runner; call {runner} instead, "
            "so validation, error envelopes and metrics apply",
    docs="""
    ## What it does
    Flags every execution of a plugin outside the runner module (`tool_runner.py` by default)
    and the configured `sanctioned_modules`: a call of an execution method (`run` by default,
    see `execution_methods`) on a plugin object, and the bound method passed on as a value,
    which executes it later (`executor.submit(plugin.run, x)`,
    `loop.run_in_executor(None, plugin.run, x)`, `functools.partial(plugin.run, x)`,
    `getattr(plugin, "run")`).

    Plugin objects are recognised by name (`plugin_receivers`: `plugin`, `*_plugin`,
    `self._plugins[...]`, `registry.get(...)`, ...), through local aliases (`p = plugin`),
    loop variables over plugin collections, and annotations with a configured plugin base class
    (`def f(p: BasePlugin)`). The pylint plugin also recognises them by inferred type.

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
    runner = config.runner
    if runner.function:
        return f"`{runner.function}(...)`"
    return f"`{runner.class_name}.{runner.method}(...)`"


class DirectExecutionCheck(Check):
    """GOV101: plugins are executed only inside the ToolRunner."""
    rules = RULES

    def applies_to(self, ctx: FileContext) -> bool:
        config = ctx.config
        if ctx.module_matches(config.runner.module, *config.sanctioned_modules):
            return False
        return not ctx.source or may_execute_plugins(ctx.source, config.execution_methods)

    def run(self, ctx: FileContext) -> Iterator[Finding]:
        methods = ctx.config.execution_methods
        plugins = PluginNames(ctx.tree, ctx.config)
        runner = runner_description(ctx.config)
        lines = execution_lines(ctx.source, methods) if ctx.source else None
        for node, parent, scope in walk_with_scope(ctx.tree, lines):
            reference = method_reference(node, methods)
            if reference is None or not plugins.is_plugin(reference.receiver, scope=scope):
                continue
            if is_introspection(reference, parent):
                continue
            yield ctx.finding(DIRECT_PLUGIN_EXECUTION, node,
                              call=_describe(reference, parent), runner=runner)


def _describe(reference: MethodReference, parent: ast.AST | None) -> str:
    text = ast.unparse(reference.node)
    if isinstance(parent, ast.Call) and parent.func is reference.node:
        text += "(...)"
    return text if len(text) <= 60 else text[:57] + "..."


CHECKS = (DirectExecutionCheck,)
