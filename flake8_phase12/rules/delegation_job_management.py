"""GOV603, GOV604: the job-management service executes only through plugin management (§6).

The rules' records and documentation; `delegation_chain` checks them, with every layer's.
"""

from __future__ import annotations

from flake8_phase12.catalog import Rule

JOB_MANAGEMENT_BYPASSES_PLUGIN_MANAGEMENT = Rule(
    code="GOV603",
    symbol="job-management-bypasses-plugin-management",
    section=6,
    title="Job-management service does not delegate to the plugin-management service",
    message="`{method}` never calls the plugin-management service; execute through `{call}`",
    docs="""
    ## What it does
    Flags an entry method of the job-management service (`run_job`, `submit_job`,
    `execute_job` of `JobManagementService` in `job_management_service.py` by default; see
    `[tool.phase12.services.job_management]`) that never reaches the plugin-management
    service: neither it nor a method of the same class that it calls or hands on (a worker
    passed to an executor, `pool.submit(self._work, job)`) calls
    `self._plugin_mgmt.execute_plugin(...)` (the attributes in `delegate_attributes`, the
    methods in `delegate_methods`), uses an object the project model types as the
    plugin-management service (`self._gateway.execute(...)` where `_gateway` was assigned the
    `ToolGateway` the constructor received), or hands the attribute to a helper.

    Jobs are often queued: when the entry method only records work on the instance
    (`self._queue.put(job)`) and another method of the class delegates, nothing is reported,
    because the hand-over to the worker is not visible in the file. Nor is anything reported
    when the method calls `super()`, a `self.<name>()` the class does not define, or hands
    `self` to another function. A method that uses the runner itself is reported by GOV604, and
    one that executes a plugin directly by GOV101, instead.

    ## Why is this bad?
    Each layer may only call the layer directly below it. Job management that reaches plugins
    another way skips the plugin-management service, where plugin selection and the runner
    call live, and `test_job_management_uses_plugin_management.py` fails.

    ## Example
    ```python
    class JobManagementService:
        def run_job(self, job):
            return execute_in_sandbox(job.plugin_name, job.payload)
    ```

    ## Use instead
    ```python
    class JobManagementService:
        def __init__(self, plugin_mgmt: PluginManagementService):
            self._plugin_mgmt = plugin_mgmt

        def run_job(self, job):
            return self._plugin_mgmt.execute_plugin(job.plugin_name, job.payload)
    ```
    """,
)

JOB_MANAGEMENT_REFERENCES_RUNNER = Rule(
    code="GOV604",
    symbol="job-management-references-runner",
    section=6,
    title="Job-management service uses the runner directly",
    message="`{text}` makes the job-management service use the runner directly; "
            "remove it and execute through `{call}`",
    docs="""
    ## What it does
    Flags where the job-management service's module uses the runner: an import of the runner
    module (`tool_runner`, absolute or relative, the module itself or a name from it) or of the
    runner class or function from anywhere; a use of a name bound by such an import
    (`ToolRunner(...)`, `tool_runner.ToolRunner`); the attributes that hold the runner
    (`self._runner`, `self._tool_runner`: `runner.attributes` and the plugin-management
    service's `delegate_attributes`), including through another object
    (`self._plugin_mgmt._runner`); and any call or private attribute whose object the project
    model types as the runner, whatever the names on the way
    (`gateway._engine.dispatch(...)`, where the gateway's `_engine` holds the `Engine`).
    One function gives one finding, at its first use of the runner; each import statement at
    module level is its own.

    An attribute with a runner name is not flagged when the module shows it holds something
    else (`self.runner = JobRunner()`, `self._runner = {}`). Imports under
    `if TYPE_CHECKING:` and names used only in annotations never run and are not flagged;
    what the module stores and calls still is.

    ## Why is this bad?
    The checklist says "No ToolRunner usage" for job management: executing plugins is the
    plugin-management service's job, which decides which plugin runs and hands it to the
    runner. A job manager that holds or calls the runner skips that layer, and a change in how
    plugins are selected or executed no longer applies to jobs.

    ## Example
    ```python
    from server.app.services.tool_runner import ToolRunner

    class JobManagementService:
        def __init__(self, registry):
            self._runner = ToolRunner(registry)

        def run_job(self, job):
            return self._runner.run(job.plugin_name, job.payload)
    ```

    ## Use instead
    ```python
    class JobManagementService:
        def __init__(self, plugin_mgmt: PluginManagementService):
            self._plugin_mgmt = plugin_mgmt

        def run_job(self, job):
            return self._plugin_mgmt.execute_plugin(job.plugin_name, job.payload)
    ```
    """,
)

RULES = (JOB_MANAGEMENT_BYPASSES_PLUGIN_MANAGEMENT, JOB_MANAGEMENT_REFERENCES_RUNNER)
