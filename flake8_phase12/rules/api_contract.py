"""GOV701-GOV705: the analyze endpoint's error and success contract (§7); GOV608: the API's one
way down the chain (§6).

The governed endpoint, what the analysis service returns and the error branches are read by
`analysis/routes.py`; this module judges them. GOV608 was GOV706 until the API contract and the
layer chain were told apart: reaching below the analysis service is a delegation fault (§6),
whatever the response looks like.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cached_property

from flake8_phase12.analysis.context import FileContext, Finding
from flake8_phase12.analysis.layers import JOB_MANAGEMENT, PLUGIN_MANAGEMENT, RUNNER, role_layers
from flake8_phase12.analysis.local import walk_local
from flake8_phase12.analysis.names import last_name, string_constant
from flake8_phase12.analysis.references import module_facts, references, short, usage_text
from flake8_phase12.analysis.responses import (
    call_argument,
    has_unpacking,
    is_app_state,
    is_response_call,
    module_int_constants,
    status_value,
    unwrap,
)
from flake8_phase12.analysis.endpoint import DICT, OBJECT, PAIR, Endpoint, ErrorBranch
from flake8_phase12.analysis.routes import ApiModule
from flake8_phase12.catalog import Rule
from flake8_phase12.config.model import Config
from flake8_phase12.model.api import ProjectApi
from flake8_phase12.rules import Check

ERROR_STATUS = Rule(
    code="GOV701",
    symbol="api-error-status",
    section=7,
    title="Analyze endpoint answers an analysis error with the wrong status code",
    message="the analyze endpoint answers an analysis error with status {found}; "
            "raise `{expected}`",
    docs="""
    ## What it does
    In the API package (`api.route_modules`, `analyze` by default, the first `layers.chain`
    entry and the modules beside a route module), finds the governed endpoint (a route that
    calls an entry method of the analysis service, see `api.service_names` and
    `services.analysis.entry_methods`) and its error branches: the block run when the
    service's result is an error (`if "error" in result:`, `if result.get("error"):`, for a
    `(result, error)` pair `if error is not None:` or `if error:`, for an object
    `if outcome.failure:`, a `case` matching the error, the rest of the function after a
    negative test that returns), the `except` handlers of a `try` around the service call, and
    the body of a failure helper (a function that raises `HTTPException`, which a governed route
    of the module hands the error, `raise_for_failure(error)`, or whose parameter is typed with
    a type imported from the envelope module, `envelope.module`). Flags an `HTTPException` raised there, or a
    response returned there, whose status code is certainly not `api.error_status` (400).
    `400`, `status.HTTP_400_BAD_REQUEST`, `HTTPStatus.BAD_REQUEST`, `int(HTTPStatus.BAD_REQUEST)`
    and `HTTPStatus.BAD_REQUEST.value` all count as 400; a status the file does not fix (a
    variable) is not judged. `fastapi.HTTPException` and `starlette.exceptions.HTTPException`
    are both recognised. Which element of a pair, or which attribute of an object, is the error
    is read from how the module's routes use it (they look the error key up in it, or put its
    sibling under the success key); when they do not show it, nothing is judged.

    ## Why is this bad?
    Phase 12 fixes how a failed analysis reaches clients: status 400 with the structured error
    as the detail. Clients and the Phase 11 tests branch on that status; a 404, 422 or 500 for
    the same failure breaks them, and a 5xx also tells monitoring that the server is broken
    when a plugin merely rejected its input.

    ## Example
    ```python
    result, error = await analysis.analyze(plugin_name, payload)
    if error is not None:
        raise HTTPException(status_code=status.HTTP_502_BAD_GATEWAY, detail=error["error"])
    ```

    ## Use instead
    ```python
    result, error = await analysis.analyze(plugin_name, payload)
    if error is not None:
        raise HTTPException(status_code=status.HTTP_400_BAD_REQUEST, detail=error["error"])
    ```
    """,
)

ERROR_DETAIL = Rule(
    code="GOV702",
    symbol="api-error-detail",
    section=7,
    title="Analyze endpoint's error response does not carry the structured error",
    message="`{detail}` puts {problem} in the error response; {fix}",
    docs="""
    ## What it does
    In the governed endpoint's error branches (see GOV701), flags an `HTTPException` whose
    `detail` is not the error object of the envelope (`envelope["error"]`,
    `envelope.get("error")`, or a name bound to one of them). Flagged details: none at all; a
    string (`str(exc)`, `repr(...)`, an f-string, a fixed message, `"...".format(...)`); the
    exception itself or its attributes; the whole envelope (`detail=error`,
    `detail=outcome.failure`, `detail=result`); another key of the result
    (`result["message"]`); a part of the error (`error["error"]["message"]`); or a dict built
    by hand (a literal, a comprehension that trims the error, `dict(...)` with keys of its
    own). A response returned with the error status is judged by its body, which must be
    what `HTTPException` sends, `{"detail": <error object>}`: the bare error object, a body
    with other keys, the whole envelope are flagged. Details the file cannot judge (a helper's
    return value, a name bound elsewhere) are left alone.

    ## Why is this bad?
    The error envelope carries `type`, `message`, `details`, `plugin` and `timestamp` so that
    clients can react to the kind of failure. A string loses all of that (and `str(exc)` may
    leak internals); a trimmed copy loses fields clients read; the whole envelope also sends
    `_internal.traceback` to the client, which is exactly what the envelope keeps internal.

    ## Example
    ```python
    if error is not None:
        raise HTTPException(status_code=400, detail=error["error"]["message"])
    ```

    ## Use instead
    ```python
    if error is not None:
        raise HTTPException(status_code=400, detail=error["error"])
    ```
    """,
)

ERROR_RETURNED_AS_SUCCESS = Rule(
    code="GOV703",
    symbol="api-error-returned-as-success",
    section=7,
    title="Analyze endpoint returns an analysis error with a success status",
    message="the error branch {how}, so the failure goes out with status {status}; "
            "raise `{expected}` instead",
    docs="""
    ## What it does
    Flags a `return` in an error branch of the governed endpoint (see GOV701) that answers
    with a success status: any plain value (`return result`, `return {"error": ...}`), or a
    response (`JSONResponse(...)`) without a status code or with a 2xx one. Also flags an
    error branch that only logs (`if error is not None: log.warning(...)`) and falls through to
    the success response, when nothing else in the endpoint raises for the error or hands it to
    a helper. Nothing is reported when the function sets the status itself
    (`response.status_code = 400`).

    ## Why is this bad?
    A failed analysis answered with 200 looks like a success to every client, proxy and
    metric: callers that check the status carry on with an error envelope (or a `null`
    result) as if it were a result, and error rates stay invisible.

    ## Example
    ```python
    result, error = analysis_service.analyze(plugin_name, payload)
    if error is not None:
        log.warning("analysis failed: %s", error["error"]["message"])
    return {"result": result, "plugin": plugin_name}
    ```

    ## Use instead
    ```python
    result, error = analysis_service.analyze(plugin_name, payload)
    if error is not None:
        log.warning("analysis failed: %s", error["error"]["message"])
        raise HTTPException(status_code=400, detail=error["error"])
    return {"result": result, "plugin": plugin_name}
    ```
    """,
)

ERROR_NOT_CHECKED = Rule(
    code="GOV704",
    symbol="api-error-not-checked",
    section=7,
    title="Analyze endpoint never checks the analysis result for an error",
    message="{what} reaches the response unchecked, so a failure goes out with status 200; "
            "add `{fix}`",
    docs="""
    ## What it does
    Flags the analysis-service call in the governed endpoint when what it returns reaches a
    `return` while the endpoint has no error branch at all. For a dict result: no test of the
    result for the error key (`api.error_key`, `"error"`), no `except` around the call, and no
    mention of the key anywhere in the function. For a `(result, error)` pair or an object with
    an error attribute: the error is never tested (`if`, `match`, a conditional expression,
    `assert`) nor handed to a function that may check it (`raise_for_failure(error)`); putting
    it into the success body (`{"result": result, "error": error}`) is no check. Nothing is
    reported when the result is handed to another function first (a helper may do the check),
    when the function sets the status itself, or when the result is never returned.

    ## Why is this bad?
    Since Phase 12 the runner never raises: a failed plugin comes back as an error envelope.
    An endpoint that returns whatever the service gave it therefore answers every failure with
    200 (often wrapped as `{"result": {"error": ...}}`), the exact case the checklist's error
    branch exists for.

    ## Example
    ```python
    @router.post("/analyze")
    def analyze(plugin_name: str, payload: dict):
        result = analysis_service.analyze(plugin_name, payload)
        return {"result": result, "plugin": plugin_name}
    ```

    ## Use instead
    ```python
    @router.post("/analyze")
    def analyze(plugin_name: str, payload: dict):
        result = analysis_service.analyze(plugin_name, payload)
        if "error" in result:
            raise HTTPException(status_code=400, detail=result["error"])
        return {"result": result, "plugin": plugin_name}
    ```
    """,
)

SUCCESS_SHAPE = Rule(
    code="GOV705",
    symbol="api-success-shape",
    section=7,
    title="Analyze endpoint's success response lacks the Phase 11 top-level keys",
    message="the analyze endpoint's success response {problem}; return {shape} "
            "(more keys may be added, none removed or renamed)",
    docs="""
    ## What it does
    Flags a `return` of the governed endpoint outside its error branches whose value is a dict
    the file spells out (a `{...}` literal, `dict(key=...)`, or such a dict as the content of a
    `JSONResponse`) and lacks one of the top-level keys in `api.success_keys` (`result` and
    `plugin`), or that puts a new object built around the analysis result under the first of
    them (`{"result": {"value": result, "job": job_id}}`). Also flags a `return` of the bare
    analysis result (the success element of a pair, the result attribute of an object, the
    dict result) when the module's governed routes put that same value under the success key
    elsewhere, so it is known to be the result and not a prepared body. Extra top-level keys
    are fine: metadata may be added. A dict with `**` unpacking, a model instance or any other
    value the file cannot spell out is not judged. Routes that do not call the analysis
    service's entry method (health checks, listings, job status) are not the analyze endpoint
    and are never checked.

    ## Why is this bad?
    Phase 12 must not break Phase 11 clients: the endpoint keeps its top-level structure and
    may only add metadata. A renamed or missing key (`"output"` for `"result"`, no `"plugin"`)
    breaks every client reading it, and so does a result moved one level down.

    ## Example
    ```python
    return {"output": result, "plugin_name": plugin_name}
    ```

    ## Use instead
    ```python
    return {"result": result, "plugin": plugin_name, "duration_ms": elapsed}
    ```
    """,
)

API_BYPASSES_ANALYSIS_SERVICE = Rule(
    code="GOV608",
    symbol="api-bypasses-analysis-service",
    section=6,
    title="The API reaches below the analysis service",
    message="`{text}` in the API uses {layer} directly; call {service} and let it delegate "
            "down the chain",
    aliases=("GOV706",),
    docs="""
    ## What it does
    This rule was `GOV706` (section 7) before; a route that skips layers breaks the delegation
    chain (§6) whatever its response looks like. `# noqa: GOV706`, baseline entries written
    with GOV706 and `phase12 rules GOV706` still apply to it. It flags, in an API route module
    (`api.route_modules`), every use of the job-management service, the plugin-management
    service or the runner: an import of their modules (absolute or relative) or classes, a use
    of a name bound by such an import (`ToolRunner(...)`,
    `PluginManagementService(...).execute_plugin`), or an attribute that holds one of them
    (`service._job_mgmt`, `self._runner`). In the routes of every module of the API package
    (a WebSocket route beside the route module too) it also flags a route calling through a
    private attribute of the analysis service (`facade._board.submit(...)`,
    `container.facade._jobs.run_job(...)`) and a route calling an entry method of a lower service on
    something taken from the application's state
    (`request.app.state.services.jobs.submit_job(...)`; a name as common as `submit` or `run`
    says too little about what the state holds, a thread pool as well, and is not judged), and
    a route calling a method of an object the project model types as a lower layer, whatever
    the names on the way (`services_of(websocket).gateway.execute(...)` where the container's
    `gateway` field is a `ToolGateway`; constructing a layer is wiring, and an object the model
    cannot type is not judged).
    One function that skips to a layer gives one finding, at its first use. Executing a plugin
    in a route is GOV101's finding and is not repeated here. Imports under
    `if TYPE_CHECKING:` and annotations are not flagged. Wiring the chain together belongs in
    a composition root outside the route modules (a `dependencies.py` or the application
    factory).

    ## Why is this bad?
    The endpoint must reach plugins only through AnalysisService -> JobManagementService ->
    PluginManagementService -> ToolRunner. A route that calls a lower layer skips job tracking
    and plugin selection (or, calling the runner, everything but the runner), so two requests
    for the same analysis can behave differently depending on the route that served them.

    ## Example
    ```python
    @router.post("/analyze")
    def analyze(plugin_name: str, payload: dict, request: Request):
        jobs = request.app.state.job_management
        return jobs.submit_job(plugin_name, payload)
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

HAND_BUILT = "a dict built by hand instead of the error object"
BODY_NOT_DETAIL = 'a body other than HTTPException\'s `{"detail": <error>}`'
# Method names too common to say, on an object taken from the application's state, that it is
# a lower service (a thread pool's `submit`, a queue's `put`), whatever the configuration says.
GENERIC_METHODS = frozenset({"submit", "run", "execute", "call", "map", "apply", "send", "put",
                             "get", "start", "process", "handle", "invoke", "dispatch"})
# Responses whose default status is not 200: what they answer is not a success body.
NON_200_DEFAULTS = frozenset({"RedirectResponse"})

RULES = (API_BYPASSES_ANALYSIS_SERVICE, ERROR_STATUS, ERROR_DETAIL, ERROR_RETURNED_AS_SUCCESS,
         ERROR_NOT_CHECKED, SUCCESS_SHAPE)


def expected_raise(config: Config, envelope: str = "result") -> str:
    api = config.api
    return f'HTTPException(status_code={api.error_status}, detail={envelope}["{api.error_key}"])'


def success_shape(config: Config) -> str:
    keys = config.api.success_keys
    return "{" + ", ".join(f'"{key}": ...' for key in keys) + "}"


def service_hint(config: Config) -> str:
    """How a fix names the analysis service: `the analysis service (`AnalysisService.analyze`)`."""
    analysis = config.services.analysis
    entry = analysis.entry_methods[0] if analysis.entry_methods else ""
    name = ".".join(part for part in (analysis.class_name, entry) if part)
    return f"the analysis service (`{name}`)" if name else "the analysis service"


class ApiContractCheck(Check):
    """GOV701-GOV705 and GOV608: the API contract of the governed routes, and the API's one way
    down the chain."""
    rules = RULES

    def run(self, ctx: FileContext) -> Iterator[Finding]:
        facts = module_facts(ctx)
        module = ApiModule(ctx.tree, ctx.config, facts.functions, facts.attributes, facts.parents,
                           ctx.imported_names, elsewhere=ProjectApi(ctx))
        yield from ChainCheck(ctx, module).findings()
        if not module.endpoints and not module.helpers:
            return
        constants = module_int_constants(ctx.tree)
        for endpoint in module.endpoints:
            yield from EndpointContract(ctx, endpoint, constants).findings()
        for helper in module.helpers.values():
            yield from EndpointContract(ctx, Endpoint(helper.function, module, helper),
                                        constants).findings()


class ChainCheck:
    """GOV608: where the API reaches below the analysis service, one finding per function and
    layer, at the first site."""

    def __init__(self, ctx: FileContext, module: ApiModule) -> None:
        self.ctx = ctx
        self.module = module
        self.facts = module_facts(ctx)
        config = ctx.config
        roles = role_layers(config)
        self.lower = (roles[JOB_MANAGEMENT], roles[PLUGIN_MANAGEMENT], roles[RUNNER])
        self.route_module = ctx.module_matches(*config.api.route_modules)
        services = config.services
        analysis_entries = set(services.analysis.entry_methods)
        runner_methods = config.runner.method_names
        self.entry_layers = {method: layer for layer, methods in (
            (roles[RUNNER], runner_methods),
            (roles[PLUGIN_MANAGEMENT], services.plugin_management.entry_methods),
            (roles[JOB_MANAGEMENT], services.job_management.entry_methods))
            for method in methods
            if method and method not in analysis_entries and method not in GENERIC_METHODS}

    def findings(self) -> Iterator[Finding]:
        routes = {id(route) for route in self.module.routes}
        # (scope, layer role or "", node, text, layer label); scope None is the module.
        sites: list[tuple[ast.AST | None, str, ast.AST, str, str]] = []
        for reference in references(self.ctx, self.lower):
            scope = self.ctx.enclosing(reference.node, ast.FunctionDef, ast.AsyncFunctionDef)
            if self.route_module or (scope is not None and id(scope) in routes):
                sites.append((scope, reference.layer.role, reference.node, reference.text,
                              reference.layer.label))
        functions = self.facts.functions if self.route_module else self.module.routes
        for function in functions:
            sites.extend(self._function_sites(function))
        for _, _, node, text, label in _first_per_scope(sites):
            yield self.ctx.finding(API_BYPASSES_ANALYSIS_SERVICE, node, text=text, layer=label,
                                   service=service_hint(self.ctx.config))

    def _function_sites(self, function) -> Iterator[tuple[ast.AST | None, str, ast.AST, str, str]]:
        endpoint = Endpoint(function, self.module)
        from_state: set[str] = set()
        for node in walk_local(function):
            if isinstance(node, ast.Assign) and is_app_state(node.value):
                from_state.update(t.id for t in node.targets if isinstance(t, ast.Name))
        for node in walk_local(function):
            if isinstance(node, ast.Call):
                yield from self._typed_call(function, node)
            if isinstance(node, ast.Attribute) and node.attr.startswith("_") \
                    and not node.attr.startswith("__") and self._called_through(node) \
                    and endpoint.is_service_expression(node.value):
                yield (function, "", node, usage_text(self.facts, node),
                       f"the analysis service's private attribute `{node.attr}`")
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr in self.entry_layers:
                receiver = node.func.value
                grabbed = is_app_state(receiver) or (isinstance(receiver, ast.Name)
                                                     and receiver.id in from_state)
                if grabbed and not endpoint.is_service_expression(receiver):
                    layer = self.entry_layers[node.func.attr]
                    yield (function, layer.role, node, short(ast.unparse(node.func)) + "(...)",
                           layer.label)

    def _typed_call(self, function, call: ast.Call
                    ) -> Iterator[tuple[ast.AST | None, str, ast.AST, str, str]]:
        """A call of a method of an object the project model types as a layer below the
        analysis service, whatever the names on the way (`services_of(ws).gateway.execute(...)`
        where the container's `gateway` is a `ToolGateway`). Constructing a layer is wiring; an
        object the model cannot type is not judged."""
        func = call.func
        if not isinstance(func, ast.Attribute) or last_name(func.value) in ("self", "cls"):
            return
        reached = self.chain.callee(call)
        if reached is None or not reached.method or reached.position < 2:
            return
        layer = self.chain.layers[reached.position]
        if layer == self.chain.layers[1]:
            return
        yield (function, layer.role, call, short(usage_text(self.facts, func)),
               layer.label)

    @cached_property
    def chain(self):
        # Imported here: only routes with calls the other readings leave open need the model.
        from flake8_phase12.model.chain import Chain
        from flake8_phase12.model.context import objects

        return Chain(self.ctx.config, objects(self.ctx))

    def _called_through(self, node: ast.Attribute) -> bool:
        """Whether the route calls something through the attribute: `service._jobs.submit()`
        (reading a private flag, `service._started`, delegates nothing)."""
        parents = self.facts.parents
        current: ast.AST = node
        parent = parents.get(current)
        if not (isinstance(parent, ast.Attribute) and parent.value is current):
            return False
        while isinstance(parent, ast.Attribute) and parent.value is current:
            current, parent = parent, parents.get(parent)
        return isinstance(parent, ast.Call) and parent.func is current


def _first_per_scope(sites):
    """The first site of each layer in each scope; a private attribute of the service counts
    only in a scope with no site of a known layer (it is usually the same skip)."""
    ordered = sorted(sites, key=lambda site: (getattr(site[2], "lineno", 1),
                                              getattr(site[2], "col_offset", 0)))
    known = {id(site[0]) for site in ordered if site[1]}
    seen: set[tuple[int, str]] = set()
    for site in ordered:
        key = (id(site[0]), site[1])
        if key in seen or (not site[1] and id(site[0]) in known):
            continue
        seen.add(key)
        yield site


class EndpointContract:
    """The §7 findings of one governed endpoint, or of one failure helper."""

    def __init__(self, ctx: FileContext, endpoint: Endpoint, constants: dict[str, int]) -> None:
        self.ctx = ctx
        self.facts = module_facts(ctx)
        self.endpoint = endpoint
        self.constants = constants
        self.api = ctx.config.api
        self.envelope = self._envelope_text()
        self.expected = expected_raise(ctx.config, self.envelope)

    def _envelope_text(self) -> str:
        """How the fix names the envelope: `result`, `error`, `outcome.failure`."""
        endpoint = self.endpoint
        if endpoint.helper is not None:
            return endpoint.helper.parameter
        layout = endpoint.module.layout
        if endpoint.form == PAIR:
            names = sorted(endpoint.envelope_variables)
        elif endpoint.form == OBJECT:
            names = sorted(f"{name}.{layout.error_attribute}" for name in endpoint.result_variables)
        else:
            names = sorted(endpoint.result_variables)
        return names[0] if names else "result"

    def findings(self) -> Iterator[Finding]:
        endpoint = self.endpoint
        in_branches: set[int] = set()
        for branch in endpoint.error_branches:
            if endpoint.falls_through(branch):
                yield self.ctx.finding(ERROR_RETURNED_AS_SUCCESS, branch.test,
                                       how="only logs and falls through to the success response",
                                       status=200, expected=self.expected)
            for node in branch.nodes():
                if id(node) in in_branches:
                    continue
                in_branches.add(id(node))
                yield from self._error_branch_node(node, branch)
        if endpoint.helper is not None:
            return
        unchecked = endpoint.results_reaching_response_unchecked()
        for call in unchecked:
            yield self._not_checked(call)
        yield from self._success_returns(in_branches, bare=not unchecked)

    def _not_checked(self, call: ast.Call) -> Finding:
        endpoint, key = self.endpoint, self.api.error_key
        if endpoint.form == DICT:
            what = "the analysis result"
            fix = f'if "{key}" in {self.envelope}: raise {self.expected}'
        else:
            what = f"the analysis error `{self.envelope}`"
            fix = f"if {self.envelope} is not None: raise {self.expected}"
        return self.ctx.finding(ERROR_NOT_CHECKED, call, what=what, fix=fix)

    # Error branches -------------------------------------------------------------------------

    def _error_branch_node(self, node: ast.AST, branch: ErrorBranch) -> Iterator[Finding]:
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) \
                and self._is_http_exception(node.exc.func):
            yield from self._http_exception(node.exc, branch)
        elif isinstance(node, ast.Return):
            yield from self._error_return(node, branch)

    def _is_http_exception(self, func: ast.AST) -> bool:
        if isinstance(func, ast.Name):
            return self.facts.aliases.get(func.id, func.id) == "HTTPException"
        return isinstance(func, ast.Attribute) and func.attr == "HTTPException"

    def _http_exception(self, call: ast.Call, branch: ErrorBranch) -> Iterator[Finding]:
        status = status_value(call_argument(call, "status_code", 0), self.constants)
        if status is not None and status != self.api.error_status:
            yield self.ctx.finding(ERROR_STATUS, call, found=status, expected=self.expected)
        if has_unpacking(call):
            return
        detail = call_argument(call, "detail", 1)
        problem = self._detail_problem(detail, branch)
        if problem:
            text = "no detail" if detail is None else f"detail={short(ast.unparse(detail), 50)}"
            yield self.ctx.finding(ERROR_DETAIL, call, detail=text, problem=problem,
                                   fix=f'pass `detail={self.envelope}["{self.api.error_key}"]`')

    def _detail_problem(self, detail: ast.AST | None, branch: ErrorBranch) -> str:
        if detail is None:
            return "only the default status text"
        endpoint = self.endpoint
        if endpoint.is_error_value(detail):
            return ""
        part = _looked_up_in(detail)
        bound = endpoint.single_assignment(detail)
        checks = (
            (_is_stringified(detail), "a string"),
            (bool(branch.exception) and _rooted_at(detail, branch.exception), "the exception"),
            (endpoint.is_envelope(detail), "the whole envelope, internal traceback included,"),
            (endpoint.is_result(detail), "the whole result"),
            (part is not None and endpoint.is_error_value(part), "only part of the error"),
            (part is not None and endpoint.is_envelope(part), "another key of the result"),
            (self._hand_built(detail), HAND_BUILT),
            (bound is not None and _is_stringified(bound), "a string"),
            (bound is not None and self._hand_built(bound), HAND_BUILT),
        )
        return next((problem for holds, problem in checks if holds), "")

    def _hand_built(self, node: ast.AST) -> bool:
        """A dict literal, comprehension or `dict(...)` call other than a plain copy of the
        error object (`{**error["error"]}`, `dict(error["error"])`)."""
        if isinstance(node, ast.DictComp):
            return True
        if isinstance(node, ast.Dict):
            return not (len(node.keys) == 1 and node.keys[0] is None
                        and self.endpoint.is_error_value(node.values[0]))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict":
            copies = len(node.args) == 1 and not node.keywords \
                and self.endpoint.is_error_value(node.args[0])
            return not copies
        return False

    def _error_return(self, node: ast.Return, branch: ErrorBranch) -> Iterator[Finding]:
        if self.endpoint.sets_status_dynamically:
            return
        value = node.value
        if is_response_call(value) and last_name(value.func) in NON_200_DEFAULTS:
            return
        if is_response_call(value):
            status_node = call_argument(value, "status_code", 1)
            if status_node is not None:
                status = status_value(status_node, self.constants)
                if status is None:
                    return
                if status == self.api.error_status:
                    yield from self._error_body(value, branch)
                    return
                if not 200 <= status < 300:
                    yield self.ctx.finding(ERROR_STATUS, node, found=status, expected=self.expected)
                    return
                yield self.ctx.finding(ERROR_RETURNED_AS_SUCCESS, node, how="returns",
                                       status=status, expected=self.expected)
                return
            if has_unpacking(value):
                return
        yield self.ctx.finding(ERROR_RETURNED_AS_SUCCESS, node, how="returns", status=200,
                               expected=self.expected)

    def _error_body(self, response: ast.Call, branch: ErrorBranch) -> Iterator[Finding]:
        """A response with the error status must send what `HTTPException` sends:
        `{"detail": <error object>}`."""
        content = call_argument(response, "content", 0)
        if content is None or has_unpacking(response):
            return
        problem = ""
        if isinstance(content, ast.Dict):
            keys = [string_constant(key) if key is not None else None for key in content.keys]
            if None in keys:
                return
            if "detail" in keys:
                problem = self._detail_problem(content.values[keys.index("detail")], branch)
            else:
                problem = BODY_NOT_DETAIL
        elif self.endpoint.is_error_value(content):
            problem = BODY_NOT_DETAIL
        elif self.endpoint.is_envelope(content):
            problem = "the whole envelope, internal traceback included,"
        elif _is_stringified(content):
            problem = "a string"
        if problem:
            yield self.ctx.finding(ERROR_DETAIL, response,
                                   detail=f"content={short(ast.unparse(content), 50)}",
                                   problem=problem, fix=f"raise `{self.expected}`")

    # Success returns ------------------------------------------------------------------------

    def _success_returns(self, in_branches: set[int], bare: bool) -> Iterator[Finding]:
        endpoint = self.endpoint
        handlers = self._other_handler_nodes()
        wrapped = endpoint.module.layout.wrapped
        for node in walk_local(endpoint.function):
            if not isinstance(node, ast.Return) or id(node) in in_branches or id(node) in handlers:
                continue
            body = node.value
            if is_response_call(body):
                body = call_argument(body, "content", 0)
            problem = self._success_problem(body, bare and endpoint.form in wrapped)
            if problem:
                yield self.ctx.finding(SUCCESS_SHAPE, node, problem=problem,
                                       shape=success_shape(self.ctx.config))

    def _success_problem(self, body: ast.AST | None, judge_bare: bool) -> str:
        keys = _literal_keys(body)
        if keys is not None and self.api.success_keys:
            missing = [key for key in self.api.success_keys if key not in keys]
            if missing:
                return "lacks " + ", ".join(f'"{key}"' for key in missing)
            result = _result_value(body, self.api.success_keys[0])
            if result is not None and self._wraps_result(result):
                return f'wraps the result in a new object under "{self.api.success_keys[0]}"'
            return ""
        if judge_bare and body is not None and self.endpoint.is_success_value(body):
            return f"is the bare result `{short(ast.unparse(unwrap(body)), 30)}`"
        return ""

    def _wraps_result(self, value: ast.AST) -> bool:
        """A new dict (literal or `dict(...)`) that holds the analysis result as one of its
        values (spreading it, `{**result, "extra": 1}`, keeps the result and is not a wrap)."""
        if isinstance(value, ast.Dict):
            values = [item for key, item in zip(value.keys, value.values) if key is not None]
        elif isinstance(value, ast.Call) and isinstance(value.func, ast.Name) \
                and value.func.id == "dict":
            values = [item.value for item in value.keywords if item.arg is not None]
        else:
            return False
        return any(self.endpoint.is_success_value(part) for item in values
                   for part in ast.walk(item))

    def _other_handler_nodes(self) -> set[int]:
        """Returns in `except` handlers are failure paths, never the success response."""
        found: set[int] = set()
        for node in walk_local(self.endpoint.function):
            if isinstance(node, ast.ExceptHandler):
                found.update(id(inner) for inner in ast.walk(node))
        return found


def _literal_keys(value: ast.AST | None) -> set[str] | None:
    """The top-level keys of a dict the source spells out, or None when it does not."""
    if isinstance(value, ast.Dict):
        if any(key is None for key in value.keys):
            return None
        keys = [string_constant(key) for key in value.keys]
        return None if any(key is None for key in keys) else set(keys)
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "dict" \
            and not value.args and all(item.arg is not None for item in value.keywords):
        return {item.arg for item in value.keywords}
    return None


def _result_value(body: ast.AST, key: str) -> ast.AST | None:
    if isinstance(body, ast.Dict):
        return next((value for name, value in zip(body.keys, body.values)
                     if string_constant(name) == key), None)
    if isinstance(body, ast.Call):
        return next((item.value for item in body.keywords if item.arg == key), None)
    return None


def _looked_up_in(node: ast.AST) -> ast.AST | None:
    """`X` for `X[key]` or `X.get(key)` with any constant key."""
    if isinstance(node, ast.Subscript):
        return node.value
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
            and node.func.attr == "get" and node.args:
        return node.func.value
    return None


def _is_stringified(node: ast.AST) -> bool:
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mod, ast.Add)) \
            and (_is_stringified(node.left) or _is_stringified(node.right)):
        return True
    if isinstance(node, ast.Call):
        name = last_name(node.func)
        if isinstance(node.func, ast.Name) and name in ("str", "repr", "format"):
            return True
        if isinstance(node.func, ast.Attribute) and name == "format" \
                and _is_stringified(node.func.value):
            return True
    return False


def _rooted_at(node: ast.AST, name: str) -> bool:
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return isinstance(node, ast.Name) and node.id == name


CHECKS = (ApiContractCheck,)
