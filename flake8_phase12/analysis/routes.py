"""The API routes of a module and the analyze endpoint's error and success paths (checklist §7).

A route is a function decorated with `@<router>.get/post/put/delete/patch/...(...)` (any
receiver: `router`, `app`) or registered with `<router>.add_api_route(path, function)`.

The analyze endpoint is a route that calls the analysis service: a call through a name in
`api.service_names` or the analysis service's class (`analysis_service.analyze(...)`,
`service.analyze(...)` for a parameter annotated `AnalysisService` or defaulting to
`Depends(get_analysis_service)`, `get_analysis_service().analyze(...)`). Other routes (health,
listings) have other contracts and are left alone.

The endpoint's error branches are the blocks that run when the service's result holds the
error key (`if "error" in result:`, `if result.get("error"):`, the `else` of
`if "error" not in result:` or the statements after it when its body returns), and the
`except` handlers of a `try` around the service call.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from functools import cached_property
from http import HTTPStatus

from flake8_phase12.analysis.names import annotation_names, last_name, string_constant
from flake8_phase12.analysis.runner import walk_local
from flake8_phase12.config.model import Config
from flake8_phase12.records import Record

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
ROUTE_DECORATORS = frozenset({"get", "post", "put", "delete", "patch", "head", "options",
                              "trace", "api_route"})
# Calls that only shape a value into a response: passing the result to them is no check.
RESPONSE_SHAPERS = frozenset({"dict", "jsonable_encoder"})


def route_functions(functions: Iterable[FunctionNode], attributes: Iterable[ast.Attribute],
                    parents: dict[ast.AST, ast.AST]) -> list[FunctionNode]:
    """The routes among `functions`, given the module's attribute nodes and parent links."""
    registered = _registered_endpoints(attributes, parents)
    return [function for function in functions
            if function.name in registered
            or any(_is_route_decorator(decorator) for decorator in function.decorator_list)]


def _is_route_decorator(decorator: ast.AST) -> bool:
    return (isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute)
            and decorator.func.attr in ROUTE_DECORATORS)


def _registered_endpoints(attributes: Iterable[ast.Attribute],
                          parents: dict[ast.AST, ast.AST]) -> set[str]:
    """Functions registered with `router.add_api_route(path, endpoint)`."""
    names: set[str] = set()
    for attribute in attributes:
        call = parents.get(attribute)
        if attribute.attr != "add_api_route" or not isinstance(call, ast.Call) \
                or call.func is not attribute:
            continue
        candidates = [*call.args[1:2], *(k.value for k in call.keywords if k.arg == "endpoint")]
        names.update(c.id for c in candidates if isinstance(c, ast.Name))
    return names


def is_response_call(node: ast.AST) -> bool:
    """`JSONResponse(...)`, `Response(...)`, `ORJSONResponse(...)`."""
    return isinstance(node, ast.Call) and (last_name(node.func) or "").endswith("Response")


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
    """The HTTP status an expression certainly stands for, or None."""
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


class ErrorBranch(Record):
    """Statements that run when the analysis failed; `exception` is the handler's name."""

    statements: tuple[ast.stmt, ...]
    exception: str | None = None

    def nodes(self) -> Iterator[ast.AST]:
        for statement in self.statements:
            yield statement
            yield from walk_local(statement)


class Endpoint:
    """One route function as the analyze endpoint: its service calls, results and branches."""

    def __init__(self, function: FunctionNode, config: Config,
                 parents: dict[ast.AST, ast.AST]) -> None:
        self.function = function
        self.config = config
        self.parents = parents
        self.error_key = config.api.error_key
        self.service_names = frozenset((*config.api.service_names,
                                        config.services.analysis.class_name)) - {""}

    @cached_property
    def service_variables(self) -> frozenset[str]:
        """Names that hold the analysis service in this function."""
        names = set(self.service_names)
        arguments = self.function.args
        parameters = (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)
        defaults = dict(zip([a.arg for a in (*arguments.posonlyargs, *arguments.args)][::-1],
                            arguments.defaults[::-1]))
        defaults.update({a.arg: d for a, d in zip(arguments.kwonlyargs, arguments.kw_defaults)
                         if d is not None})
        for parameter in parameters:
            if annotation_names(parameter.annotation) & self.service_names \
                    or self._mentions_service(defaults.get(parameter.arg)):
                names.add(parameter.arg)
        for node in walk_local(self.function):
            if isinstance(node, ast.Assign) and self._mentions_service(node.value) \
                    and not self.is_service_call(_unwrap(node.value), names):
                names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        return frozenset(names)

    def _mentions_service(self, node: ast.AST | None) -> bool:
        if node is None:
            return False
        return any((isinstance(part, ast.Name) and part.id in self.service_names)
                   or (isinstance(part, ast.Attribute) and part.attr in self.service_names)
                   for part in ast.walk(node))

    def is_service_call(self, node: ast.AST, variables: frozenset[str] | set[str] | None = None
                        ) -> bool:
        """A call of a method of the analysis service, or one that is handed such a method."""
        if not isinstance(node, ast.Call):
            return False
        variables = self.service_variables if variables is None else variables
        methods = [node.func, *node.args, *(k.value for k in node.keywords)]
        return any(isinstance(method, ast.Attribute) and self._is_service(method.value, variables)
                   for method in methods)

    def _is_service(self, node: ast.AST, variables) -> bool:
        if isinstance(node, ast.Name):
            return node.id in variables
        if isinstance(node, ast.Attribute):
            return node.attr in self.service_names or self._is_service(node.value, variables)
        if isinstance(node, ast.Call):
            return self._is_service(node.func, variables)
        return False

    @cached_property
    def service_calls(self) -> tuple[ast.Call, ...]:
        return tuple(node for node in walk_local(self.function) if self.is_service_call(node))

    @property
    def is_analyze_endpoint(self) -> bool:
        return bool(self.service_calls)

    @cached_property
    def result_variables(self) -> frozenset[str]:
        """Names bound to what the analysis service returned."""
        names: set[str] = set()
        for node in walk_local(self.function):
            value = getattr(node, "value", None)
            if value is None or not self.is_service_call(_unwrap(value)):
                continue
            if isinstance(node, ast.Assign):
                names.update(t.id for t in node.targets if isinstance(t, ast.Name))
            elif isinstance(node, (ast.AnnAssign, ast.NamedExpr)) and isinstance(node.target, ast.Name):
                names.add(node.target.id)
        return frozenset(names)

    @cached_property
    def error_variables(self) -> frozenset[str]:
        """Names bound to the error of the result: `error = result.get("error")`."""
        names: set[str] = set()
        for node in walk_local(self.function):
            if isinstance(node, (ast.Assign, ast.NamedExpr)) and self.is_error_lookup(node.value):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names.update(t.id for t in targets if isinstance(t, ast.Name))
            elif isinstance(node, ast.Match) and self.is_result(node.subject):
                # `case {"error": error}:` binds the error.
                names.update(captured.name for case in node.cases
                             if (captured := self._error_pattern(case.pattern)) is not None
                             and isinstance(captured, ast.MatchAs) and captured.name)
        return frozenset(names)

    def is_result(self, node: ast.AST) -> bool:
        node = _unwrap(node)
        return (isinstance(node, ast.Name) and node.id in self.result_variables) \
            or self.is_service_call(node)

    def is_error_lookup(self, node: ast.AST | None, anywhere: bool = False) -> bool:
        """`result["error"]` or `result.get("error"...)`; with `anywhere`, on any value."""
        if isinstance(node, ast.Subscript) and string_constant(node.slice) == self.error_key:
            return anywhere or self.is_result(node.value)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr == "get" and node.args \
                and string_constant(node.args[0]) == self.error_key:
            return anywhere or self.is_result(node.func.value)
        return False

    def is_error_value(self, node: ast.AST) -> bool:
        return self.is_error_lookup(node, anywhere=True) or (
            isinstance(node, ast.Name) and node.id in self.error_variables)

    # Error branches -------------------------------------------------------------------------

    def error_polarity(self, test: ast.AST) -> bool | None:
        """True when `test` holds only if the result is an error, False when only if it is not."""
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            inner = self.error_polarity(test.operand)
            return None if inner is None else not inner
        if isinstance(test, ast.BoolOp):
            found = [self.error_polarity(value) for value in test.values]
            if isinstance(test.op, ast.And):
                return True if True in found else (False if found == [False] * len(found) else None)
            return True if True in found and False not in found else None
        if isinstance(test, ast.NamedExpr):
            return self.error_polarity(test.value)
        if isinstance(test, ast.Compare) and len(test.ops) == 1:
            return self._compare_polarity(test)
        if self.is_error_lookup(test) or (isinstance(test, ast.Name) and test.id in self.error_variables):
            return True
        if isinstance(test, ast.Call) and self._is_error_predicate(test):
            return True
        return None

    def _is_error_predicate(self, call: ast.Call) -> bool:
        """`is_error_envelope(result)`, `has_error(result)`, `result.is_error()`: a test of the
        result by a function whose name mentions the error key; or `failed(result)` where
        `failed` is a function of this module that returns a test of the error key on its
        first parameter (`return "error" in result`)."""
        name = (last_name(call.func) or "").lower()
        if self.error_key.lower() not in name:
            return bool(call.args) and self.is_result(call.args[0]) \
                and isinstance(call.func, ast.Name) and self._tests_the_error_key(call.func.id)
        if call.args and self.is_result(call.args[0]):
            return True
        return isinstance(call.func, ast.Attribute) and not call.args and self.is_result(call.func.value)

    def _tests_the_error_key(self, function_name: str) -> bool:
        """Whether the module-level function `function_name` returns only tests that hold when
        its first parameter carries the error key."""
        module = self.parents.get(self.function)
        while module is not None and not isinstance(module, ast.Module):
            module = self.parents.get(module)
        if module is None:
            return False
        definition = next((node for node in module.body if isinstance(node, FUNCTION_NODES)
                           and node.name == function_name), None)
        if definition is None or not definition.args.args:
            return False
        parameter = definition.args.args[0].arg
        returns = [node.value for node in walk_local(definition)
                   if isinstance(node, ast.Return) and node.value is not None]
        # `return False` (an early exit) never says "error"; every other return must test it.
        tests = [value for value in returns
                 if not (isinstance(value, ast.Constant) and not value.value)]
        return bool(tests) and all(_tests_error_key(value, parameter, self.error_key)
                                   for value in tests)

    def _compare_polarity(self, test: ast.Compare) -> bool | None:
        left, op, right = test.left, test.ops[0], test.comparators[0]
        if isinstance(left, ast.NamedExpr):  # `(error := result.get("error")) is not None`
            left = left.value
        if string_constant(left) == self.error_key and self.is_result(right):
            if isinstance(op, ast.In):
                return True
            if isinstance(op, ast.NotIn):
                return False
        if (self.is_error_lookup(left) or (isinstance(left, ast.Name) and left.id in self.error_variables)) \
                and isinstance(right, ast.Constant) and right.value is None:
            if isinstance(op, (ast.IsNot, ast.NotEq)):
                return True
            if isinstance(op, (ast.Is, ast.Eq)):
                return False
        return None

    @cached_property
    def error_branches(self) -> tuple[ErrorBranch, ...]:
        branches = list(self._if_branches(self.function.body))
        for node in walk_local(self.function):
            if isinstance(node, (ast.Try, getattr(ast, "TryStar", ast.Try))) and any(
                    self.is_service_call(inner) for statement in node.body
                    for inner in (statement, *walk_local(statement))):
                branches.extend(ErrorBranch(tuple(handler.body), handler.name)
                                for handler in node.handlers)
        return tuple(branches)

    def _error_pattern(self, pattern: ast.pattern) -> ast.pattern | None:
        """The value pattern of the error key in `case {"error": <pattern>}`, unless it is
        `None` (no error); None when the case does not match on the error key."""
        if not isinstance(pattern, ast.MatchMapping):
            return None
        for key, value in zip(pattern.keys, pattern.patterns):
            if string_constant(key) == self.error_key:
                is_none = isinstance(value, ast.MatchSingleton) and value.value is None
                return None if is_none else value
        return None

    def _if_branches(self, block: list[ast.stmt]) -> Iterator[ErrorBranch]:
        for index, statement in enumerate(block):
            if isinstance(statement, ast.Match) and self.is_result(statement.subject):
                for case in statement.cases:
                    if self._error_pattern(case.pattern) is not None:
                        yield ErrorBranch(tuple(case.body))
            if isinstance(statement, ast.If):
                polarity = self.error_polarity(statement.test)
                if polarity is True:
                    yield ErrorBranch(tuple(statement.body))
                elif polarity is False and statement.orelse:
                    yield ErrorBranch(tuple(statement.orelse))
                elif polarity is False and _terminates(statement.body) and block[index + 1:]:
                    yield ErrorBranch(tuple(block[index + 1:]))
            for child in _child_blocks(statement):
                yield from self._if_branches(child)

    @cached_property
    def sets_status_dynamically(self) -> bool:
        """`response.status_code = ...`: the status of a return is not knowable here."""
        return any(isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign))
                   and any(isinstance(t, ast.Attribute) and t.attr == "status_code"
                           for t in (node.targets if isinstance(node, ast.Assign) else [node.target]))
                   for node in walk_local(self.function))

    def results_reaching_response_unchecked(self) -> list[ast.Call]:
        """Service calls whose result reaches a `return` with no error check on the way."""
        if self.error_branches or self.sets_status_dynamically or self._mentions_error_key():
            return []
        unchecked = []
        for call in self.service_calls:
            if self._flows_into_return(call):
                unchecked.append(call)
        return unchecked

    def _mentions_error_key(self) -> bool:
        body = self.function.body
        docstring = body[0] if body and isinstance(body[0], ast.Expr) and string_constant(body[0].value) \
            is not None else None
        return any(string_constant(node) == self.error_key for node in walk_local(self.function)
                   if self.parents.get(node) is not docstring)

    def _flows_into_return(self, call: ast.Call) -> bool:
        node: ast.AST = call
        parent = self.parents.get(node)
        while isinstance(parent, ast.Await):
            node, parent = parent, self.parents.get(parent)
        if self._handed_to_helper(node, parent):
            return False
        if isinstance(parent, (ast.Assign, ast.AnnAssign, ast.NamedExpr)):
            targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
            names = {t.id for t in targets if isinstance(t, ast.Name)}
            return bool(names) and self._name_flows_into_return(names)
        return self._inside_return(node)

    def _name_flows_into_return(self, names: set[str]) -> bool:
        flows = False
        for node in walk_local(self.function):
            if isinstance(node, ast.Name) and node.id in names and isinstance(node.ctx, ast.Load):
                if self._handed_to_helper(node, self.parents.get(node)):
                    return False
                flows = flows or self._inside_return(node)
        return flows

    def _handed_to_helper(self, node: ast.AST, parent: ast.AST | None) -> bool:
        """Passed to a function that may check it (not a response constructor)."""
        if isinstance(parent, ast.keyword):
            parent = self.parents.get(parent)
            return isinstance(parent, ast.Call) and not _shapes_response(parent)
        return isinstance(parent, ast.Call) and parent.func is not node and not _shapes_response(parent)

    def _inside_return(self, node: ast.AST) -> bool:
        current = self.parents.get(node)
        while current is not None and current is not self.function:
            if isinstance(current, ast.Return):
                return True
            current = self.parents.get(current)
        return False


def _shapes_response(call: ast.Call) -> bool:
    return is_response_call(call) or last_name(call.func) in RESPONSE_SHAPERS


def _unwrap(node: ast.AST) -> ast.AST:
    while isinstance(node, ast.Await):
        node = node.value
    return node


def _terminates(block: list[ast.stmt]) -> bool:
    return bool(block) and isinstance(block[-1], (ast.Return, ast.Raise))


def _child_blocks(statement: ast.stmt) -> Iterator[list[ast.stmt]]:
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return
    for name in ("body", "orelse", "finalbody"):
        block = getattr(statement, name, None)
        if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
            yield block
    for handler in getattr(statement, "handlers", ()):
        yield handler.body
    for case in getattr(statement, "cases", ()):
        yield case.body


FUNCTION_NODES = (ast.FunctionDef, ast.AsyncFunctionDef)


def _tests_error_key(test: ast.AST, name: str, key: str) -> bool:
    """True when `test` can hold only if `name` carries `key`: `key in name`,
    `name.get(key)`, `name[key]`, `name.get(key) is not None`, or an `and` with one of these."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        return any(_tests_error_key(value, name, key) for value in test.values)
    if isinstance(test, ast.Call) and isinstance(test.func, ast.Name) and test.func.id == "bool" \
            and len(test.args) == 1:
        return _tests_error_key(test.args[0], name, key)
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        left, op, right = test.left, test.ops[0], test.comparators[0]
        if isinstance(op, ast.In):
            return string_constant(left) == key and _is_name(right, name)
        if isinstance(op, (ast.IsNot, ast.NotEq)) and isinstance(right, ast.Constant) \
                and right.value is None:
            return _looks_up(left, name, key)
        return False
    return _looks_up(test, name, key)


def _looks_up(node: ast.AST, name: str, key: str) -> bool:
    if isinstance(node, ast.Subscript):
        return string_constant(node.slice) == key and _is_name(node.value, name)
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
        and node.func.attr == "get" and bool(node.args) \
        and string_constant(node.args[0]) == key and _is_name(node.func.value, name)


def _is_name(node: ast.AST, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name
