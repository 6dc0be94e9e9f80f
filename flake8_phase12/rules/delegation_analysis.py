"""GOV605, GOV606: the analysis service executes only through job management (checklist §6).

The rules' records and documentation; `delegation_chain` checks them, with every layer's.
"""

from __future__ import annotations

from flake8_phase12.catalog import Rule

ANALYSIS_BYPASSES_JOB_MANAGEMENT = Rule(
    code="GOV605",
    symbol="analysis-bypasses-job-management",
    section=6,
    title="Analysis service does not delegate to the job-management service",
    message="`{method}` never calls the job-management service; delegate through `{call}`",
    docs="""
    ## What it does
    Flags an entry method of the analysis service (`analyze` of `AnalysisService` in
    `analysis_service.py` by default; see `[tool.phase12.services.analysis]`) that never
    reaches the job-management service: neither it nor a method of the same class that it
    calls or hands on uses the attribute holding it (`self._job_mgmt`, `self._job_management`,
    `self._jobs`: `delegate_attributes`; any of its methods unless `delegate_methods` narrows
    them), uses an object the project model types as the job-management service, or hands
    that attribute to a helper. An analysis layer written as module-level functions (set
    `class = ""` and name the functions in `entry_methods`) is judged function by function:
    an entry function delegates when it, or a function of the module it calls, uses the
    job-management service (`jobs.submit(...)` with `jobs: JobBook`); it is not judged when it
    hands what may be that service to a function the module does not define.

    As for job management, an entry method that only records work on the instance while
    another method of the class delegates is not reported, nor is one whose path the file
    cannot show (`super()`, an undefined `self.<name>()`, `self` handed to a function). A
    method that uses the plugin-management service or the runner is reported by GOV606, and one
    that executes a plugin directly by GOV101, instead.

    ## Why is this bad?
    The chain is API -> AnalysisService -> JobManagementService -> PluginManagementService ->
    ToolRunner, each layer calling only the next. An analysis service that gets results some
    other way skips job tracking and everything below it, so the governance the lower layers
    add no longer covers the analyze endpoint.

    ## Example
    ```python
    class AnalysisService:
        def analyze(self, plugin_name, payload):
            return legacy_pipeline.process(plugin_name, payload)
    ```

    ## Use instead
    ```python
    class AnalysisService:
        def __init__(self, job_mgmt: JobManagementService):
            self._job_mgmt = job_mgmt

        def analyze(self, plugin_name, payload):
            return self._job_mgmt.run_job(plugin_name, payload)
    ```
    """,
)

ANALYSIS_REFERENCES_LOWER_LAYER = Rule(
    code="GOV606",
    symbol="analysis-references-lower-layer",
    section=6,
    title="Analysis service uses the plugin-management service or the runner directly",
    message="`{text}` makes the analysis service use {layer} directly; "
            "remove it and delegate through `{call}`",
    docs="""
    ## What it does
    Flags where the analysis service's module uses a layer below the job-management service:
    the plugin-management service or the runner. A use is an import of the layer's module
    (absolute or relative) or of its class from anywhere, a use of a name bound by such an
    import (`PluginManagementService(...)`, `ToolRunner.run`), an attribute that holds the
    layer (`self._plugin_mgmt`: the job-management service's `delegate_attributes`;
    `self._runner`: `runner.attributes`), also through another object
    (`self._job_mgmt._plugin_mgmt`), and any call or private attribute whose object the project
    model types as one of those layers, whatever the names on the way
    (`self._board._gateway.execute(...)`, `jobs._desk.listing()`), in methods and in the
    module-level functions of an analysis layer written as functions. One function gives one
    finding per layer, at its first use; each import statement at module level is its own.

    An attribute with such a name is not flagged when the module shows it holds something else
    (`self._runner = JobRunner()`). Imports under `if TYPE_CHECKING:` and names used only in
    annotations are not flagged; what the module stores and calls is.

    ## Why is this bad?
    The checklist says the analysis service uses no ToolRunner and no PluginManagementService
    directly. Skipping a layer means skipping what it adds (job tracking, plugin selection), and
    it ties the top of the chain to details the middle layers exist to hide.

    ## Example
    ```python
    from server.app.services.plugin_management_service import PluginManagementService

    class AnalysisService:
        def __init__(self, plugin_mgmt: PluginManagementService):
            self._plugin_mgmt = plugin_mgmt

        def analyze(self, plugin_name, payload):
            return self._plugin_mgmt.execute_plugin(plugin_name, payload)
    ```

    ## Use instead
    ```python
    class AnalysisService:
        def __init__(self, job_mgmt: JobManagementService):
            self._job_mgmt = job_mgmt

        def analyze(self, plugin_name, payload):
            return self._job_mgmt.run_job(plugin_name, payload)
    ```
    """,
)

RULES = (ANALYSIS_BYPASSES_JOB_MANAGEMENT, ANALYSIS_REFERENCES_LOWER_LAYER)
