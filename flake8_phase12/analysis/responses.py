"""What an HTTP handler's expressions stand for: responses, status codes, log calls, the
application's state, lookups of a key (checklist §7, `analysis/routes.py`)."""

from __future__ import annotations

import ast
from http import HTTPStatus

from flake8_phase12.analysis.names import last_name, string_constant

LOG_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical",
                         "log", "msg"})
LOG_RECEIVERS = ("log", "logger", "logging", "structlog")


def is_response_call(node: ast.AST) -> bool:
    """`JSONResponse(...)`, `Response(...)`, `ORJSONResponse(...)`."""
    return isinstance(node, ast.Call) and (last_name(node.func) or "").endswith("Response")


def is_logging_call(node: ast.AST) -> bool:
    """`log.warning(...)`, `logger.info(...)`, `self._log.error(...)`, `print(...)`."""
    if isinstance(node, ast.Await):
        node = node.value
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    if isinstance(func, ast.Name):
        return func.id == "print"
    if not isinstance(func, ast.Attribute) or func.attr not in LOG_METHODS:
        return False
    receiver = (last_name(func.value) or "").strip("_").lower()
    return receiver.endswith(LOG_RECEIVERS)


def module_int_constants(tree: ast.Module) -> dict[str, int]:
    """Module-level `NAME = 400` assignments, so `status_code=ERROR_STATUS` can be judged."""
    constants: dict[str, int] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) \
                and _is_int(node.value.value):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    constants[target.id] = node.value.value
    return constants


def _is_int(value: object) -> bool:
    """An `int` that is not a `bool` (`True` is an `int` to Python, not a status code)."""
    return isinstance(value, int) and not isinstance(value, bool)


def named_status(name: str) -> int | None:
    """The status in a constant's name: `HTTP_400_BAD_REQUEST`, `HTTP_422` (starlette, DRF)."""
    digits = name[5:8]
    if name.startswith("HTTP_") and len(digits) == 3 and digits.isdecimal() \
            and name[8:9] in ("", "_"):
        return int(digits)
    return None


def status_value(node: ast.AST | None, constants: dict[str, int]) -> int | None:
    """The HTTP status an expression certainly stands for, or None: `400`,
    `status.HTTP_400_BAD_REQUEST`, `HTTPStatus.BAD_REQUEST`, `int(HTTPStatus.BAD_REQUEST)`,
    `HTTPStatus.BAD_REQUEST.value`, a module constant."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "int" \
            and len(node.args) == 1 and not node.keywords:
        return status_value(node.args[0], constants)
    if isinstance(node, ast.Attribute) and node.attr == "value" \
            and isinstance(node.value, ast.Attribute):
        return status_value(node.value, constants)
    if isinstance(node, ast.Constant) and _is_int(node.value):
        return node.value
    name = last_name(node) if isinstance(node, (ast.Name, ast.Attribute)) else None
    if name is None:
        return None
    named = named_status(name)
    if named is not None:
        return named
    if isinstance(node, ast.Attribute) and last_name(node.value) == "HTTPStatus" \
            and name in HTTPStatus.__members__:
        return HTTPStatus[name].value
    if isinstance(node, ast.Name):
        return constants.get(name)
    return None


def call_argument(call: ast.Call, keyword: str, position: int) -> ast.AST | None:
    for item in call.keywords:
        if item.arg == keyword:
            return item.value
    positional = [argument for argument in call.args if not isinstance(argument, ast.Starred)]
    if len(positional) == len(call.args) and position < len(positional):
        return positional[position]
    return None


def has_unpacking(call: ast.Call) -> bool:
    return any(isinstance(argument, ast.Starred) for argument in call.args) or any(
        item.arg is None for item in call.keywords)


def is_app_state(node: ast.AST) -> bool:
    """Whether an expression reads the application's state: `request.app.state.x`,
    `app.state.services.jobs`, `getattr(request.app.state, "x")`, whatever follows."""
    current = node
    while True:
        if isinstance(current, ast.Call):
            if last_name(current.func) == "getattr" and current.args:
                current = current.args[0]
                continue
            current = current.func
        elif isinstance(current, ast.Attribute):
            if current.attr == "state" and last_name(current.value) == "app":
                return True
            current = current.value
        elif isinstance(current, (ast.Subscript, ast.Await)):
            current = current.value
        else:
            return False


def unwrap(node: ast.AST) -> ast.AST:
    while isinstance(node, ast.Await):
        node = node.value
    return node


def lookup_target(node: ast.AST | None, key: str) -> ast.AST | None:
    """`X` when `node` is `X[key]` or `X.get(key, ...)`, else None."""
    if isinstance(node, ast.Subscript) and string_constant(node.slice) == key:
        return node.value
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
            and node.func.attr == "get" and node.args and string_constant(node.args[0]) == key:
        return node.func.value
    return None
