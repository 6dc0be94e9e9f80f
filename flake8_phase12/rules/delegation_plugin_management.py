"""GOV601, GOV602: the plugin-management service executes only through its runner (checklist §6)."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from flake8_phase12.analysis.check import Check
from flake8_phase12.analysis.context import FileContext, Finding
from flake8_phase12.analysis.delegation import Delegate, delegate_methods, unreached_entries
from flake8_phase12.analysis.layers import RUNNER, role_layers
from flake8_phase12.analysis.references import delegate_attribute, layer_holders, module_facts
from flake8_phase12.catalog import Rule
from flake8_phase12.config.model import Config

PLUGIN_MANAGEMENT_BYPASSES_RUNNER = Rule(
    code="GOV601",
    symbol="plugin-management-bypasses-runner",
    section=6,
    title="Plugin-management service does not delegate to the runner",
    checklist_item="PluginManagementService delegates to ToolRunner: only self._runner.run(...)",
    message="`{method}` never calls the runner; execute the plugin with `{call}` "
            "(the injected runner) so validation, error envelopes and metrics apply",
    docs="""
    ## What it does
    Flags an entry method of the plugin-management service (`execute_plugin` of
    `PluginManagementService` in `plugin_management_service.py` by default; see
    `[tool.phase12.services.plugin_management]`: `class`, `module`, `entry_methods`) that
    never reaches the runner: neither it nor any method of the same class that it calls or
    hands on calls the runner attribute (`self._runner.run(...)`, the injected callable
    `self._tool_runner(...)`, the attributes in `delegate_attributes` and `runner.attributes`),
    passes it to a helper, or calls the plain-function runner (`runner.function`).

    Nothing is reported when the file cannot show where the method goes: a call of
    `super()`, of a `self.<name>()` the class does not define (inherited, or an injected
    callable of another name), or `self` handed to another function. Abstract methods,
    protocols and `raise NotImplementedError` bodies are skipped. A method that executes a
    plugin directly is reported by GOV101 (and one calling a runner it built itself by GOV602)
    instead, so one mistake gives one finding.

    ## Why is this bad?
    The checklist allows exactly one path from the services to a plugin: the plugin-management
    service calls the runner, and only the runner executes, validates, wraps errors and updates
    metrics. An entry method that reaches plugins some other way (a sandbox helper, an executor
    of its own) skips all of that, and `test_toolrunner_called_for_all_plugins.py` fails.

    ## Example
    ```python
    class PluginManagementService:
        def execute_plugin(self, name, payload):
            return sandbox.execute(self._registry.lookup(name), payload)
    ```

    ## Use instead
    ```python
    class PluginManagementService:
        def __init__(self, runner: ToolRunner):
            self._runner = runner

        def execute_plugin(self, name, payload):
            return self._runner.run(name, payload)
    ```
    """,
)

RUNNER_CALLED_OUTSIDE_ATTRIBUTE = Rule(
    code="GOV602",
    symbol="runner-called-outside-attribute",
    section=6,
    title="Runner called other than through the injected attribute's governed method",
    checklist_item="PluginManagementService delegates to ToolRunner: only self._runner.run(...)",
    message="`{call}` calls the runner {how}; {fix}",
    docs="""
    ## What it does
    In the plugin-management service's module, flags calls of the runner's execution method
    (`run`, see `runner.method` and `delegate_methods`) that do not go through a configured
    runner attribute (`self._runner`, `self._tool_runner`, ...: `runner.attributes` and
    `services.plugin_management.delegate_attributes`):

    - on a runner constructed in place: `ToolRunner(registry).run(...)`;
    - unbound, on the class: `ToolRunner.run(self._runner, ...)`;
    - through a local or module-level name bound to a new runner:
      `runner = ToolRunner(registry)` then `runner.run(...)`;
    - through another attribute that the module shows holds the runner:
      `self._executor = ToolRunner(...)` (or a parameter annotated `ToolRunner`, or the
      plain-function runner) then `self._executor.run(...)`;
    - through another method of the runner attribute than the governed one(s)
      (`services.plugin_management.delegate_methods`, `run` by default):
      `self._runner.run_batch(...)`, `self._runner.execute_raw(...)`.

    Constructing the runner is not flagged by itself: a default in `__init__`
    (`self._runner = runner or ToolRunner(registry)`) or wiring that passes a new runner to a
    constructor is fine.

    ## Why is this bad?
    The checklist says "Only `self._runner.run(...)`". `run` is the method that validates the
    input, wraps every exception in the error envelope and records metrics; another method of
    the runner need not give those guarantees. The injected runner is the one wired to the
    registry whose metrics the checklist requires, and the one tests replace to prove that every
    plugin goes through it: a runner built on the spot may use another registry (metrics are
    lost) and is invisible to those tests, and an attribute of another name hides from this
    tool, and from reviewers, where the runner lives.

    ## Example
    ```python
    class PluginManagementService:
        def execute_plugin(self, name, payload):
            return ToolRunner(self._registry).run(name, payload)
    ```

    ## Use instead
    ```python
    class PluginManagementService:
        def __init__(self, runner: ToolRunner, registry):
            self._runner = runner
            self._registry = registry

        def execute_plugin(self, name, payload):
            return self._runner.run(name, payload)
    ```
    """,
)

RULES = (PLUGIN_MANAGEMENT_BYPASSES_RUNNER, RUNNER_CALLED_OUTSIDE_ATTRIBUTE)


def runner_attributes(config: Config) -> tuple[str, ...]:
    """The configured attributes that hold the runner, the plugin-management service's first."""
    own = config.services.plugin_management.delegate_attributes
    return tuple(dict.fromkeys(own + config.runner.attributes))


def runner_methods(config: Config) -> frozenset[str]:
    return delegate_methods(config.services.plugin_management.delegate_methods,
                            config.runner.method)


def runner_call_hint(ctx: FileContext) -> str:
    """`self._runner.run(...)`, with the attribute this module keeps the runner in."""
    config = ctx.config
    attribute = delegate_attribute(ctx, role_layers(config)[RUNNER], runner_attributes(config),
                                   "_runner")
    methods = sorted(runner_methods(config))
    if config.runner.function and not methods:
        return f"self.{attribute}(...)"
    return f"self.{attribute}.{methods[0] if methods else config.runner.method}(...)"


class PluginManagementCheck(Check):
    """GOV601-GOV602: the PluginManagementService delegates executions to the ToolRunner."""
    rules = RULES

    def applies_to(self, ctx: FileContext) -> bool:
        module = ctx.config.services.plugin_management.module
        return bool(module) and ctx.module_matches(module)

    def run(self, ctx: FileContext) -> Iterator[Finding]:
        stray = list(StrayRunnerCalls(ctx).find())
        for call, how, fix in stray:
            yield ctx.finding(RUNNER_CALLED_OUTSIDE_ATTRIBUTE, call, call=_call_text(call),
                              how=how, fix=fix)
        yield from self._undelegated(ctx, {call.lineno for call, _, _ in stray})

    def _undelegated(self, ctx: FileContext, reported: set[int]) -> Iterator[Finding]:
        config = ctx.config
        service = config.services.plugin_management
        delegate = Delegate(
            attributes=frozenset(runner_attributes(config)) | runner_holders(ctx),
            methods=runner_methods(config),
            functions=frozenset({config.runner.function}) - {""},
        )
        for method, entry in unreached_entries(ctx, service.class_name, service.entry_methods,
                                               delegate, allow_deferred=False, reported=reported):
            yield ctx.finding(PLUGIN_MANAGEMENT_BYPASSES_RUNNER, entry, method=method,
                              call=runner_call_hint(ctx))


def runner_holders(ctx: FileContext) -> frozenset[str]:
    """Attributes of `self` that this module shows hold the runner, whatever their names."""
    return layer_holders(ctx, role_layers(ctx.config)[RUNNER])


class StrayRunnerCalls:
    """Calls of the runner that bypass the configured runner attributes."""

    def __init__(self, ctx: FileContext) -> None:
        config = ctx.config
        self.facts = module_facts(ctx)
        self.class_name = config.runner.class_name
        self.class_aliases = {local for local, imported in self.facts.aliases.items()
                              if imported == self.class_name}
        if self.class_name:
            self.class_aliases.add(self.class_name)
        self.methods = runner_methods(config) or frozenset({config.runner.method})
        self.configured = set(runner_attributes(config))
        # Only these methods of the runner apply every guarantee; empty means any method.
        self.allowed = runner_methods(config)
        self.other_holders = {attribute for attribute in runner_holders(ctx)
                              if attribute not in self.configured}
        self.built_names = {name for name, value in self.facts.bindings
                            if self._is_construction(value)}
        self.hint = runner_call_hint(ctx)

    def find(self) -> Iterator[tuple[ast.Call, str, str]]:
        facts = self.facts
        candidates: list[ast.AST] = [name for name in facts.names if name.id in self.built_names]
        candidates.extend(attribute for attribute in facts.attributes
                          if attribute.attr in self.methods or attribute.attr in self.other_holders
                          or _self_attribute(attribute.value) in self.configured)
        for node in candidates:
            call = facts.called(node)
            how, fix = self._how(node) if call is not None else ("", "")
            if how:
                yield call, how, fix

    def _how(self, func: ast.AST) -> tuple[str, str]:
        """How `func(...)` reaches the runner without the governed path, and the fix; or ''."""
        inject = f"inject the runner and call `{self.hint}` (or add the attribute to `runner.attributes`)"
        if isinstance(func, ast.Attribute) and func.attr in self.methods:
            receiver = func.value
            if self._is_construction(receiver):
                return "on a runner constructed in place", inject
            if self._is_class(receiver):
                return "unbound, on the runner class", inject
            if isinstance(receiver, ast.Name) and receiver.id in self.built_names:
                return f"through `{receiver.id}`, a runner built here", inject
            holder = _self_attribute(receiver)
            if holder in self.other_holders:
                return f"through `self.{holder}`, which is not a configured runner attribute", inject
        if isinstance(func, ast.Attribute) and self.allowed and func.attr not in self.allowed \
                and _self_attribute(func.value) in self.configured:
            return (f"through `{func.attr}`, not its governed method",
                    f"call `{self.hint}`, which validates, wraps errors and records metrics "
                    f"(or add `{func.attr}` to `services.plugin_management.delegate_methods`)")
        if isinstance(func, ast.Name) and func.id in self.built_names:
            return f"through `{func.id}`, a runner built here", inject
        holder = _self_attribute(func)
        if holder in self.other_holders:
            return f"through `self.{holder}`, which is not a configured runner attribute", inject
        return "", ""

    def _is_class(self, node: ast.AST) -> bool:
        if isinstance(node, ast.Name):
            return node.id in self.class_aliases
        return isinstance(node, ast.Attribute) and node.attr == self.class_name

    def _is_construction(self, node: ast.AST) -> bool:
        return isinstance(node, ast.Call) and self._is_class(node.func)


def _self_attribute(node: ast.AST) -> str | None:
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
            and node.value.id == "self":
        return node.attr
    return None


def _call_text(call: ast.Call) -> str:
    text = ast.unparse(call.func) + "(...)"
    return text if len(text) <= 60 else text[:57] + "..."


CHECKS = (PluginManagementCheck,)
