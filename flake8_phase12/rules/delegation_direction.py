"""GOV607: no layer of the delegation chain depends on a layer above it (checklist §6).

The rule's record and documentation; `delegation_chain` checks it, with every layer's.
"""

from __future__ import annotations

from flake8_phase12.catalog import Rule

LAYER_DEPENDS_ON_HIGHER_LAYER = Rule(
    code="GOV607",
    symbol="layer-depends-on-higher-layer",
    section=6,
    title="A layer imports or calls a layer above it",
    message="`{text}` makes {layer} depend on {higher}, which is above it; a layer may only "
            "call the layer below it: return results upward instead",
    docs="""
    ## What it does
    Orders the layers by `layers.chain` (top to bottom; by default the API, the analysis,
    job-management and plugin-management services, the runner) and flags every line of a
    layer's module that uses a layer above it: an import of that layer's module (absolute or
    relative, the module or a name from it, `import x.y as z`), an import of its class from
    anywhere, a use of a name bound by such an import, an attribute through which the layer
    above is held (`self._plugin_mgmt` in the runner, `self._job_mgmt` in plugin management;
    see the services' `delegate_attributes`), or a call whose object the project model types as
    a class of a layer above (`rail.clear(dish)` with `rail: TicketRail` imported only for
    type checkers: the import never runs, the call does). One function gives one finding per
    layer, at its first use.

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
