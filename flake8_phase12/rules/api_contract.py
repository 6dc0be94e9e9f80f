"""GOV701-GOV705: the analyze endpoint's error and success contract (§7).

How routes reach the services is the delegation chain's (GOV608, §6; it was GOV706).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from flake8_phase12.analysis.check import Check
from flake8_phase12.analysis.context import FileContext, Finding
from flake8_phase12.analysis.names import last_name, string_constant
from flake8_phase12.analysis.references import module_facts, short
from flake8_phase12.analysis.routes import (
    Endpoint,
    ErrorBranch,
    call_argument,
    has_unpacking,
    is_response_call,
    module_int_constants,
    route_functions,
    status_value,
)
from flake8_phase12.catalog import Rule
from flake8_phase12.config.model import Config

ERROR_STATUS = Rule(
    code="GOV701",
    symbol="api-error-status",
    section=7,
    title="Analyze endpoint answers an analysis error with the wrong status code",
    checklist_item="On error -> HTTPException(status_code=400, detail=error[\"error\"])",
    message="the analyze endpoint answers an analysis error with status {found}; "
            "raise `{expected}`",
    docs="""
    ## What it does
    In the API route modules (`api.route_modules`, `analyze` by default), finds the analyze
    endpoint (a route that calls the analysis service, see `api.service_names`) and its error
    branches: the block run when the service's result holds the error key (`if "error" in
    result:`, `if result.get("error"):`, `if (error := result.get("error")) is not None:`, the
    rest of the function after `if "error" not in result: return ...`, a `case {"error":
    error}:` of `match result:`) and the `except` handlers of a `try` around the service call.
    Flags an `HTTPException` raised there, or a response returned there, whose status code is
    certainly not `api.error_status` (400). `400`, `status.HTTP_400_BAD_REQUEST` and
    `HTTPStatus.BAD_REQUEST` all count as 400; a status the file does not fix (a variable) is
    not judged. `fastapi.HTTPException` and `starlette.exceptions.HTTPException` are both
    recognised.

    ## Why is this bad?
    Phase 12 fixes how a failed analysis reaches clients: status 400 with the structured error
    as the detail. Clients and the Phase 11 tests branch on that status; a 404, 422 or 500 for
    the same failure breaks them, and a 5xx also tells monitoring that the server is broken
    when a plugin merely rejected its input.

    ## Example
    ```python
    if "error" in result:
        raise HTTPException(status_code=500, detail=result["error"])
    ```

    ## Use instead
    ```python
    if "error" in result:
        raise HTTPException(status_code=400, detail=result["error"])
    ```
    """,
)

ERROR_DETAIL = Rule(
    code="GOV702",
    symbol="api-error-detail",
    section=7,
    title="Analyze endpoint's error response does not carry the structured error",
    checklist_item="On error -> HTTPException(status_code=400, detail=error[\"error\"])",
    message="`{detail}` puts {problem} in the error response; pass the structured error: "
            "`detail={expected}`",
    docs="""
    ## What it does
    In the analyze endpoint's error branches (see GOV701), flags an `HTTPException` whose
    `detail` is not the error object of the envelope (`result["error"]`, or
    `result.get("error")`, or a name bound to one of them). Flagged details: none at all; a
    string (`str(exc)`, `repr(...)`, an f-string, a fixed message, `"...".format(...)`); the
    exception itself or its attributes; the whole result dict (`detail=result`); another key of
    the result (`result["message"]`); or a part of the error (`result["error"]["message"]`).
    Details the file cannot judge (a helper's return value, a name bound elsewhere) are left
    alone.

    ## Why is this bad?
    The error envelope carries `type`, `message`, `details`, `plugin` and `timestamp` so that
    clients can react to the kind of failure. A string loses all of that (and `str(exc)` may
    leak internals); the whole dict also sends `_internal.traceback` to the client, which is
    exactly what the envelope keeps internal.

    ## Example
    ```python
    except Exception as exc:
        raise HTTPException(status_code=400, detail=str(exc))
    ```

    ## Use instead
    ```python
    if "error" in result:
        raise HTTPException(status_code=400, detail=result["error"])
    ```
    """,
)

ERROR_RETURNED_AS_SUCCESS = Rule(
    code="GOV703",
    symbol="api-error-returned-as-success",
    section=7,
    title="Analyze endpoint returns an analysis error with a success status",
    checklist_item="On error -> HTTPException(status_code=400, detail=error[\"error\"])",
    message="the analyze endpoint returns from its error branch with status {status}; "
            "raise `{expected}` instead",
    docs="""
    ## What it does
    Flags a `return` in an error branch of the analyze endpoint (see GOV701) that answers with
    a success status: any plain value (`return result`, `return {"error": ...}`), or a
    response (`JSONResponse(...)`) without a status code or with a 2xx one. Nothing is reported
    when the function sets the status itself (`response.status_code = 400`).

    ## Why is this bad?
    A failed analysis answered with 200 looks like a success to every client, proxy and
    metric: callers that check the status carry on with an error envelope as if it were a
    result, and error rates stay invisible.

    ## Example
    ```python
    result = analysis_service.analyze(plugin_name, payload)
    if "error" in result:
        return result
    return {"result": result, "plugin": plugin_name}
    ```

    ## Use instead
    ```python
    result = analysis_service.analyze(plugin_name, payload)
    if "error" in result:
        raise HTTPException(status_code=400, detail=result["error"])
    return {"result": result, "plugin": plugin_name}
    ```
    """,
)

ERROR_NOT_CHECKED = Rule(
    code="GOV704",
    symbol="api-error-not-checked",
    section=7,
    title="Analyze endpoint never checks the analysis result for an error",
    checklist_item="API returns structured success or structured error",
    message="the analysis result reaches the response without a check for the `{key}` key, so "
            "an error envelope goes out with status 200; add `if \"{key}\" in {result}: "
            "raise {expected}`",
    docs="""
    ## What it does
    Flags the analysis-service call in the analyze endpoint when its result reaches a `return`
    while the endpoint has no error branch at all: no test of the result for the error key
    (`api.error_key`, `"error"`), no `except` around the call, and no mention of the key
    anywhere in the function. Nothing is reported when the result is handed to another
    function first (a helper may do the check), when the function sets the status itself, or
    when the result is never returned.

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
    checklist_item="On success -> {\"result\": result, \"plugin\": plugin_name}; "
                   "same top-level structure, only additive metadata",
    message="the analyze endpoint returns a dict without {missing}; return {shape} "
            "(more keys may be added, none removed or renamed)",
    docs="""
    ## What it does
    Flags a `return` of the analyze endpoint outside its error branches whose value is a dict
    the file spells out (a `{...}` literal, `dict(key=...)`, or such a dict as the content of a
    `JSONResponse`) and lacks one of the top-level keys in `api.success_keys` (`result` and
    `plugin`). Extra keys are fine: metadata may be added. A dict with `**` unpacking, a model
    instance or any other value the file cannot spell out is not judged. Routes that do not
    call the analysis service (health checks, listings) are not the analyze endpoint and are
    never checked.

    ## Why is this bad?
    Phase 12 must not break Phase 11 clients: the endpoint keeps its top-level structure and
    may only add metadata. A renamed or missing key (`"output"` for `"result"`, no `"plugin"`)
    breaks every client reading it, and the contract test with it.

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

# Responses whose default status is not 200: what they answer is not a success body.
NON_200_DEFAULTS = frozenset({"RedirectResponse"})

RULES = (ERROR_STATUS, ERROR_DETAIL, ERROR_RETURNED_AS_SUCCESS, ERROR_NOT_CHECKED, SUCCESS_SHAPE)


def expected_raise(config: Config, result: str = "result") -> str:
    api = config.api
    return f'HTTPException(status_code={api.error_status}, detail={result}["{api.error_key}"])'


def success_shape(config: Config) -> str:
    keys = config.api.success_keys
    return "{" + ", ".join(f'"{key}": ...' for key in keys) + "}"


class ApiContractCheck(Check):
    """GOV701-GOV705: the API contract of the analyze routes: error status and shape."""
    rules = RULES

    def applies_to(self, ctx: FileContext) -> bool:
        return ctx.module_matches(*ctx.config.api.route_modules)

    def run(self, ctx: FileContext) -> Iterator[Finding]:
        constants: dict[str, int] | None = None
        facts = module_facts(ctx)
        for function in route_functions(facts.functions, facts.attributes, facts.parents):
            endpoint = Endpoint(function, ctx.config, facts.parents)
            if not endpoint.is_analyze_endpoint:
                continue
            if constants is None:
                constants = module_int_constants(ctx.tree)
            yield from EndpointContract(ctx, endpoint, constants).findings()


class EndpointContract:
    """The §7 findings of one analyze endpoint."""

    def __init__(self, ctx: FileContext, endpoint: Endpoint, constants: dict[str, int]) -> None:
        self.ctx = ctx
        self.facts = module_facts(ctx)
        self.endpoint = endpoint
        self.constants = constants
        self.api = ctx.config.api
        results = sorted(endpoint.result_variables)
        self.result_name = results[0] if results else "result"
        self.expected = expected_raise(ctx.config, self.result_name)

    def findings(self) -> Iterator[Finding]:
        in_branches: set[int] = set()
        for branch in self.endpoint.error_branches:
            for node in branch.nodes():
                if id(node) in in_branches:
                    continue
                in_branches.add(id(node))
                yield from self._error_branch_node(node, branch)
        for call in self.endpoint.results_reaching_response_unchecked():
            yield self.ctx.finding(ERROR_NOT_CHECKED, call, key=self.api.error_key,
                                   result=self.result_name, expected=self.expected)
        yield from self._success_returns(in_branches)

    # Error branches -------------------------------------------------------------------------

    def _error_branch_node(self, node: ast.AST, branch: ErrorBranch) -> Iterator[Finding]:
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) \
                and self._is_http_exception(node.exc.func):
            yield from self._http_exception(node.exc, branch)
        elif isinstance(node, ast.Return):
            yield from self._error_return(node)

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
                                   expected=f'{self.result_name}["{self.api.error_key}"]')

    def _detail_problem(self, detail: ast.AST | None, branch: ErrorBranch) -> str:
        endpoint = self.endpoint
        if detail is None:
            return "only the default status text"
        if endpoint.is_error_value(detail):
            return ""
        if _is_stringified(detail):
            return "a string"
        if branch.exception and _rooted_at(detail, branch.exception):
            return "the exception"
        if endpoint.is_result(detail):
            return "the whole result, internal traceback included,"
        if isinstance(detail, ast.Subscript) and endpoint.is_error_value(detail.value):
            return "only part of the error"
        if isinstance(detail, ast.Subscript) and endpoint.is_result(detail.value):
            return "another key of the result"
        return ""

    def _error_return(self, node: ast.Return) -> Iterator[Finding]:
        if self.endpoint.sets_status_dynamically:
            return
        value = node.value
        if is_response_call(value) and last_name(value.func) in NON_200_DEFAULTS:
            return
        if is_response_call(value):
            status_node = call_argument(value, "status_code", 1)
            if status_node is not None:
                status = status_value(status_node, self.constants)
                if status is None or status == self.api.error_status:
                    return
                if not 200 <= status < 300:
                    yield self.ctx.finding(ERROR_STATUS, node, found=status, expected=self.expected)
                    return
                yield self.ctx.finding(ERROR_RETURNED_AS_SUCCESS, node, status=status,
                                       expected=self.expected)
                return
            if has_unpacking(value):
                return
        yield self.ctx.finding(ERROR_RETURNED_AS_SUCCESS, node, status=200, expected=self.expected)

    # Success returns ------------------------------------------------------------------------

    def _success_returns(self, in_branches: set[int]) -> Iterator[Finding]:
        handlers = self._other_handler_nodes()
        for node in ast.walk(self.endpoint.function):
            if not isinstance(node, ast.Return) or id(node) in in_branches or id(node) in handlers:
                continue
            if self._enclosing_function(node) is not self.endpoint.function:
                continue
            keys = _literal_keys(node.value)
            if keys is None:
                continue
            missing = [key for key in self.api.success_keys if key not in keys]
            if missing:
                yield self.ctx.finding(SUCCESS_SHAPE, node,
                                       missing=", ".join(f'"{key}"' for key in missing),
                                       shape=success_shape(self.ctx.config))

    def _enclosing_function(self, node: ast.AST) -> ast.AST | None:
        current = self.facts.parents.get(node)
        while current is not None and not isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef)):
            current = self.facts.parents.get(current)
        return current

    def _other_handler_nodes(self) -> set[int]:
        """Returns in `except` handlers are failure paths, never the success response."""
        found: set[int] = set()
        for node in ast.walk(self.endpoint.function):
            if isinstance(node, ast.ExceptHandler):
                found.update(id(inner) for inner in ast.walk(node))
        return found


def _literal_keys(value: ast.AST | None) -> set[str] | None:
    """The top-level keys of a dict the source spells out, or None when it does not."""
    if is_response_call(value):
        value = call_argument(value, "content", 0)
    if isinstance(value, ast.Dict):
        if any(key is None for key in value.keys):
            return None
        keys = [string_constant(key) for key in value.keys]
        return None if any(key is None for key in keys) else set(keys)
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "dict" \
            and not value.args and all(item.arg is not None for item in value.keywords):
        return {item.arg for item in value.keywords}
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
