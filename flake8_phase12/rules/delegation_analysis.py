"""GOV605, GOV606: the analysis service executes only through job management (checklist §6)."""

from __future__ import annotations

from collections.abc import Iterator

from flake8_phase12.analysis.check import Check
from flake8_phase12.analysis.context import FileContext, Finding
from flake8_phase12.analysis.delegation import Delegate, delegate_methods, unreached_entries
from flake8_phase12.analysis.layers import JOB_MANAGEMENT, PLUGIN_MANAGEMENT, RUNNER, role_layers
from flake8_phase12.analysis.references import delegate_attribute, layer_holders, references
from flake8_phase12.catalog import Rule

ANALYSIS_BYPASSES_JOB_MANAGEMENT = Rule(
    code="GOV605",
    symbol="analysis-bypasses-job-management",
    section=6,
    title="Analysis service does not delegate to the job-management service",
    checklist_item="AnalysisService delegates to JobManagementService",
    message="`{method}` never calls the job-management service; delegate through `{call}`",
    docs="""
    ## What it does
    Flags an entry method of the analysis service (`analyze` of `AnalysisService` in
    `analysis_service.py` by default; see `[tool.phase12.services.analysis]`) that never
    reaches the job-management service: neither it nor a method of the same class that it
    calls or hands on uses the attribute holding it (`self._job_mgmt`, `self._job_management`,
    `self._jobs`: `delegate_attributes`; any of its methods unless `delegate_methods` narrows
    them) or hands that attribute to a helper.

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
    checklist_item="AnalysisService delegates to JobManagementService: no ToolRunner usage, "
                   "no PluginManagementService usage directly",
    message="`{text}` makes the analysis service use {layer} directly; "
            "remove it and delegate through `{call}`",
    docs="""
    ## What it does
    Flags every line of the analysis service's module that uses a layer below the
    job-management service: the plugin-management service or the runner. A use is an import of
    the layer's module (absolute or relative) or of its class from anywhere, a use of a name
    bound by such an import (`PluginManagementService(...)`, `ToolRunner.run`), or an
    attribute that holds the layer (`self._plugin_mgmt`: the job-management service's
    `delegate_attributes`; `self._runner`: `runner.attributes`), also through another object
    (`self._job_mgmt._plugin_mgmt`).

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


def job_management_call(ctx: FileContext) -> str:
    """How the analysis service should delegate: `self._job_mgmt.run_job(...)`, with the
    attribute this module keeps the job-management service in."""
    config = ctx.config
    service = config.services.analysis
    attribute = delegate_attribute(ctx, role_layers(config)[JOB_MANAGEMENT],
                                   service.delegate_attributes, "_job_mgmt")
    method = (service.delegate_methods + config.services.job_management.entry_methods
              or ("run_job",))[0]
    return f"self.{attribute}.{method}(...)"


class AnalysisServiceCheck(Check):
    """GOV605-GOV606: the AnalysisService delegates to the JobManagementService."""
    rules = RULES

    def applies_to(self, ctx: FileContext) -> bool:
        module = ctx.config.services.analysis.module
        return bool(module) and ctx.module_matches(module)

    def run(self, ctx: FileContext) -> Iterator[Finding]:
        config = ctx.config
        layers = role_layers(config)
        call = job_management_call(ctx)
        found = references(ctx, [layers[PLUGIN_MANAGEMENT], layers[RUNNER]])
        for reference in found:
            yield ctx.finding(ANALYSIS_REFERENCES_LOWER_LAYER, reference.node,
                              text=reference.text, layer=reference.layer.label, call=call)
        yield from self._undelegated(ctx, {reference.node.lineno for reference in found})

    def _undelegated(self, ctx: FileContext, reported: set[int]) -> Iterator[Finding]:
        config = ctx.config
        service = config.services.analysis
        delegate = Delegate(
            attributes=frozenset(service.delegate_attributes)
            | layer_holders(ctx, role_layers(config)[JOB_MANAGEMENT]),
            methods=delegate_methods(service.delegate_methods,
                                     *config.services.job_management.entry_methods),
        )
        for method, entry in unreached_entries(ctx, service.class_name, service.entry_methods,
                                               delegate, allow_deferred=True, reported=reported):
            yield ctx.finding(ANALYSIS_BYPASSES_JOB_MANAGEMENT, entry, method=method,
                              call=job_management_call(ctx))


CHECKS = (AnalysisServiceCheck,)
