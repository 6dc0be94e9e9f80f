"""GOV608: the API reaches the services only through the analysis service (checklist §6).

The rule's record and documentation; `delegation_chain` checks it, with every layer's.
"""

from __future__ import annotations

from flake8_phase12.catalog import Rule

API_BYPASSES_ANALYSIS_SERVICE = Rule(
    code="GOV608",
    symbol="api-bypasses-analysis-service",
    section=6,
    title="API route module reaches below the analysis service",
    checklist_item="API calls AnalysisService -> JobManagementService -> "
                   "PluginManagementService -> ToolRunner",
    message="`{text}` makes the API use {layer} directly; {fix}",
    aliases=("GOV706",),
    docs="""
    ## What it does
    Flags where an API module (the route modules of `api.route_modules`, the first entry of
    `layers.chain`, and the modules beside a route module, where a WebSocket route or a
    dependency provider lives) uses a layer below the analysis service: the job-management
    service, the plugin-management service or the runner. A use is an import of their modules
    (absolute or relative) or classes, a use of a name bound by such an import
    (`ToolRunner(...)`, `PluginManagementService(...).execute_plugin`), an attribute that holds
    one of them (`service._job_mgmt`, `self._runner`), or a call whose object the project model
    types as one of them, whatever the names on the way (`container.jobs.submit(...)` where
    the container's `jobs` field is a `JobBoard`, `request.app.state.book.post(...)` when every
    value the project puts on `app.state.book` is a `JobBook`). One route function gives one finding per layer, at its first
    use; each import statement at module level is its own.

    Executing a plugin in a route is GOV101's finding and is not repeated here. Imports under
    `if TYPE_CHECKING:` and annotations are not flagged, nor is wiring: constructing the layers
    belongs in a composition root outside the route modules (a `dependencies.py` or the
    application factory), and calling the analysis service is what a route should do.

    This rule was GOV706 (section 7) before it moved to section 6, where the checklist puts the
    delegation chain: `# noqa: GOV706` and baseline entries written with GOV706 still apply to
    it, and `phase12 rules GOV706` shows this page. The pylint symbol is unchanged.

    ## Why is this bad?
    The endpoint must reach plugins only through AnalysisService -> JobManagementService ->
    PluginManagementService -> ToolRunner. A route that calls a lower layer skips job tracking
    and plugin selection (or, calling the runner, everything but the runner), so two requests
    for the same analysis can behave differently depending on the route that served them.

    ## Example
    ```python
    from server.app.services.tool_runner import ToolRunner

    @router.post("/analyze")
    def analyze(plugin_name: str, payload: dict):
        result = ToolRunner(registry).run(plugin_name, payload)
        ...
    ```

    ## Use instead
    ```python
    @router.post("/analyze")
    def analyze(plugin_name: str, payload: dict):
        result = analysis_service.analyze(plugin_name, payload)
        ...
    ```
    """,
)

RULES = (API_BYPASSES_ANALYSIS_SERVICE,)
