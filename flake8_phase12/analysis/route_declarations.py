"""What declares a FastAPI route: the one reading of a decorator or a call that the API rules
(`analysis.routes`, on one file) and the project model's facts (`model.facts`, for `init`,
`compat` and the audit) share, so that both mean the same thing by "a route".

A route is declared by

- a decorator `@<receiver>.<verb>(path, ...)`, the verb one of FastAPI's HTTP methods (`get`,
  `post`, `put`, `patch`, `delete`, `head`, `options`, `trace`), `api_route(path,
  methods=[...])`, or a WebSocket decorator (`websocket`, `websocket_route`);
- a call `<receiver>.add_api_route(path, endpoint, methods=[...])`.

`api_route` and `add_api_route` serve GET when `methods` is not given, as FastAPI does. The
receiver may be any expression (`router`, `app`, `api.router`, `get_router()`): whether it is a
router is for the reader to decide. The path is the first positional argument (a `*sequence`
there holds it) or `path=`; when neither is given, a `**mapping` may hold it and the path is
unknown. A call that gives the path no way at all declares no route: FastAPI requires it
(`@router.get()` raises TypeError when the module is imported).
"""

from __future__ import annotations

import ast

from flake8_phase12.records import Record

WEBSOCKET = "WEBSOCKET"
# The decorators that declare one HTTP method, and the method they declare.
HTTP_VERBS = {
    "get": "GET", "post": "POST", "put": "PUT", "patch": "PATCH", "delete": "DELETE",
    "head": "HEAD", "options": "OPTIONS", "trace": "TRACE",
}
WEBSOCKET_DECORATORS = frozenset({"websocket", "websocket_route"})
# `@router.api_route(path, methods=[...])`: the methods are its keyword's.
LISTED_METHODS = "api_route"
# `router.add_api_route(path, endpoint, methods=[...])`: a route registered by a call.
REGISTRATION = "add_api_route"
DEFAULT_METHODS = ("GET",)


class RouteDeclaration(Record):
    """One route a decorator or a call declares: its methods (`("POST",)`, `("WEBSOCKET",)`),
    the path (None when a `**mapping` holds it) and the receiver as expressions of the source,
    and for `add_api_route` the endpoint (None for a decorator: the decorated function is)."""

    methods: tuple[str, ...]
    path: ast.expr | None
    receiver: ast.expr
    endpoint: ast.expr | None = None

    @property
    def is_websocket(self) -> bool:
        return WEBSOCKET in self.methods


def decorator_route(decorator: ast.expr) -> RouteDeclaration | None:
    """The route a decorator declares (`@router.post("/x")`), or None when it declares none."""
    if not isinstance(decorator, ast.Call) or not isinstance(decorator.func, ast.Attribute):
        return None
    verb = decorator.func.attr
    if verb in HTTP_VERBS:
        methods: tuple[str, ...] = (HTTP_VERBS[verb],)
    elif verb in WEBSOCKET_DECORATORS:
        methods = (WEBSOCKET,)
    elif verb == LISTED_METHODS:
        methods = _listed_methods(keyword_argument(decorator, "methods")) or DEFAULT_METHODS
    else:
        return None
    if not _gives_path(decorator):
        return None
    return RouteDeclaration(methods, _path(decorator), decorator.func.value)


def registered_route(call: ast.Call) -> RouteDeclaration | None:
    """The route a call registers (`router.add_api_route("/x", endpoint)`), or None when it
    registers none or does not say which endpoint."""
    func = call.func
    if not isinstance(func, ast.Attribute) or func.attr != REGISTRATION:
        return None
    endpoint = call.args[1] if len(call.args) > 1 else keyword_argument(call, "endpoint")
    if endpoint is None or not _gives_path(call):
        return None
    methods = _listed_methods(keyword_argument(call, "methods")) or DEFAULT_METHODS
    return RouteDeclaration(methods, _path(call), func.value, endpoint)


def keyword_argument(call: ast.Call, name: str) -> ast.expr | None:
    """The value of the keyword argument `name` of a call, None when it is not given."""
    return next((item.value for item in call.keywords if item.arg == name), None)


def _listed_methods(node: ast.expr | None) -> tuple[str, ...]:
    """`methods=["post", "GET"]` -> ("GET", "POST"); () when the source does not list them."""
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return tuple(sorted({item.value.upper() for item in node.elts
                             if isinstance(item, ast.Constant) and isinstance(item.value, str)}))
    return ()


def _path(call: ast.Call) -> ast.expr | None:
    """The path argument as written: the first positional one, else `path=`."""
    return call.args[0] if call.args else keyword_argument(call, "path")


def _gives_path(call: ast.Call) -> bool:
    """Whether the call passes a path: positionally, as `path=`, or maybe in a `**mapping`."""
    return bool(call.args) or any(item.arg in ("path", None) for item in call.keywords)
