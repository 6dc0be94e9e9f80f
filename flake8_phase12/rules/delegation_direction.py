"""GOV607: no layer of the delegation chain depends on a layer above it (checklist §6)."""

from __future__ import annotations

from collections.abc import Iterator

from flake8_phase12.analysis.check import Check
from flake8_phase12.analysis.context import FileContext, Finding
from flake8_phase12.analysis.layers import chain_index, chain_layers
from flake8_phase12.analysis.references import references
from flake8_phase12.catalog import Rule

LAYER_DEPENDS_ON_HIGHER_LAYER = Rule(
    code="GOV607",
    symbol="layer-depends-on-higher-layer",
    section=6,
    title="A layer imports or calls a layer above it",
    checklist_item="API calls AnalysisService -> JobManagementService -> "
                   "PluginManagementService -> ToolRunner",
    message="`{text}` makes {layer} depend on {higher}, which is above it; a layer may only "
            "call the layer below it: return results upward instead",
    docs="""
    ## What it does
    Orders the layers by `layers.chain` (top to bottom; by default the API, the analysis,
    job-management and plugin-management services, the runner) and flags every line of a
    layer's module that uses a layer above it: an import of that layer's module (absolute or
    relative, the module or a name from it, `import x.y as z`), an import of its class from
    anywhere, a use of a name bound by such an import, or an attribute through which the layer
    above is held (`self._plugin_mgmt` in the runner, `self._job_mgmt` in plugin management;
    see the services' `delegate_attributes`).

    An attribute with such a name is not flagged when the module shows it holds something else
    (`self._jobs = {}`). Imports under `if TYPE_CHECKING:` and names used only in annotations
    never run and are not flagged, so a type-only import that breaks an import cycle is left to
    the import contracts (`phase12 audit`), which judge the import graph as a whole.

    ## Why is this bad?
    Calls go down the chain and results come back up as return values. A lower layer that
    imports or calls a higher one creates a cycle: the runner, which must be usable on its own
    and is the single governed execution point, would depend on the services built on top of
    it, and a change in the API could break plugin execution.

    ## Example
    ```python
    # server/app/services/tool_runner.py
    from server.app.services.job_management_service import JobManagementService

    class ToolRunner:
        def run(self, plugin_name, payload):
            JobManagementService.current().mark_running(plugin_name)
            ...
    ```

    ## Use instead
    ```python
    # server/app/services/tool_runner.py
    class ToolRunner:
        def run(self, plugin_name, payload):
            ...  # return the result; the job-management service records the job's state
    ```
    """,
)

RULES = (LAYER_DEPENDS_ON_HIGHER_LAYER,)


class LayerDirectionCheck(Check):
    """GOV607: no module of the chain refers to a layer above it."""
    rules = RULES

    def applies_to(self, ctx: FileContext) -> bool:
        index = chain_index(ctx.config, ctx.module_path)
        return index is not None and index > 0

    def run(self, ctx: FileContext) -> Iterator[Finding]:
        layers = chain_layers(ctx.config)
        index = chain_index(ctx.config, ctx.module_path)
        if not index:
            return
        own = layers[index]
        above = [layer for layer in layers[:index] if layer != own]
        for reference in references(ctx, above):
            yield ctx.finding(LAYER_DEPENDS_ON_HIGHER_LAYER, reference.node, text=reference.text,
                              layer=own.label, higher=reference.layer.label)


CHECKS = (LayerDirectionCheck,)
