"""GOV601, GOV602: the plugin-management service executes only through its runner (§6).

The rules' records and documentation; `delegation_chain` checks them, with every layer's.
"""

from __future__ import annotations

from flake8_phase12.catalog import Rule

PLUGIN_MANAGEMENT_BYPASSES_RUNNER = Rule(
    code="GOV601",
    symbol="plugin-management-bypasses-runner",
    section=6,
    title="Plugin-management service does not delegate to the runner",
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
    passes it to a helper, or calls a runner role by name (`runner.function`, or a function or
    method of `runner.also`: a sync entry may call `run`, its async twin `run_async`). Whatever the
    attribute is called, an object the project model types as the runner counts too
    (`self._engine.dispatch(...)` where `_engine` holds the `Engine` the constructor received).

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
    message="`{call}` calls the runner {how}; {fix}",
    docs="""
    ## What it does
    In the plugin-management service's module, flags calls of the runner's execution method
    (`run`, see `runner.method`, `runner.also` and `delegate_methods`) that do not go through
    the injected runner: an attribute assigned what the constructor was handed (whatever its
    name), or a configured runner attribute (`runner.attributes`,
    `services.plugin_management.delegate_attributes`):

    - on a runner constructed in place: `ToolRunner(registry).run(...)`;
    - unbound, on the class: `ToolRunner.run(self._runner, ...)`;
    - through a local or module-level name bound to a new runner:
      `runner = ToolRunner(registry)` then `runner.run(...)`;
    - through an attribute that only ever holds a runner the service builds itself, never one
      handed in: `self._own = ToolRunner(registry)` then `self._own.run(...)`;
    - through another method of an attribute holding the runner than the governed one(s)
      (`services.plugin_management.delegate_methods`, `run` by default):
      `self._runner.run_batch(...)`, `self._runner.execute_raw(...)`, `self._engine._run(...)`.

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
