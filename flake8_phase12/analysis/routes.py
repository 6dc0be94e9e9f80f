"""The API routes of a module and the analyze endpoint's error and success paths (checklist §7).

A route is a function decorated with `@<router>.get/post/put/delete/patch/...(path)` (any
receiver: `router`, `app`), `@<router>.api_route(path, methods=[...])`,
`@<router>.websocket(path)` or `@<router>.websocket_route(path)`, or a function of the module
registered with `<router>.add_api_route(path, function)`: `analysis.route_declarations` says
what declares one, for these rules and for the project model alike.

**The governed endpoint** is a route that calls an entry method of the analysis service
(`services.analysis.entry_methods`, all its methods when that list is empty) on something that
holds the service: a name in `api.service_names` or the service's class (`analysis_service`,
`get_analysis_service()`), a parameter annotated with one of them, with a type alias of this
module that names one (`Facade = Annotated[VisionFacade, Depends(get_facade)]`), or defaulting
to `Depends(provider)` where the provider is such a name or a function of this module that
returns the service (its return annotation, or `request.app.state.<service name>`). Other
routes of the module (job status, listings, health) have other contracts and are never judged.
Several routes may be governed (a sync and an async route).

**What the service returns** is learned from how the module's governed routes use it, never
from names: a dict that holds the error key on failure (`"error" in result`), a `(result, error)`
pair (`result, error = service.analyze(...)`), or an object whose attribute holds the error
envelope (`outcome.failure`). The pair's error element and the object's error attribute are
the ones the routes look the error key up in (`error["error"]`), or else the ones whose
sibling goes under the success key (`{"result": result}`); a test of its presence (`if error:`,
`if error is not None:`) that leads to a `raise` decides when nothing else does
(`ApiModule.layout`). When the routes do not show it, what the service returns is unknown and
nothing that depends on it is judged. Whether a type alias or provider imported from another
module stands for the service is unknown too (`ApiModule.stands_for_service`): a question for
a model of the whole project.

**Error branches** are the blocks that run when the result is an error: `if "error" in
result:`, `if result.get("error"):`, `if error is not None:`, `if outcome.failure:`, the `else`
of the negative test or the statements after it when its body returns, a `case` that matches
the error, the `except` handlers of a `try` around the service call, and the body of a
**failure helper**: a function of this module that raises `HTTPException`, which a governed
route of the module hands the result or the error (`raise_for_failure(error)`), or whose
parameter is annotated with a type imported from the envelope module (`failure:
"FailureEnvelope | None"`), so it is judged in its own module too. A helper imported from
another module is unknown (`ApiModule.failure_helper`): a route that hands it the error may be
checking it, and nothing is said.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from functools import cached_property
from typing import Protocol

from flake8_phase12.analysis.context import module_matches
from flake8_phase12.analysis.endpoint import DICT, OBJECT, UNKNOWN, Endpoint, FailureHelper
from flake8_phase12.analysis.local import walk_local
from flake8_phase12.analysis.names import annotation_names, last_name, string_constant
from flake8_phase12.analysis.responses import (
    is_app_state,
    unwrap,
)
from flake8_phase12.analysis.route_declarations import REGISTRATION, decorator_route, registered_route
from flake8_phase12.config.model import Config
from flake8_phase12.records import Record

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
FUNCTION_NODES = (ast.FunctionDef, ast.AsyncFunctionDef)


def route_functions(functions: Iterable[FunctionNode], attributes: Iterable[ast.Attribute],
                    parents: dict[ast.AST, ast.AST]) -> list[FunctionNode]:
    """The routes among `functions` (HTTP and WebSocket), given the module's attribute nodes
    and parent links."""
    registered = _registered_endpoints(attributes, parents)
    return [function for function in functions
            if function.name in registered
            or any(decorator_route(decorator) is not None for decorator in function.decorator_list)]


def is_websocket_route(function: FunctionNode) -> bool:
    return any(declared is not None and declared.is_websocket
               for declared in map(decorator_route, function.decorator_list))


def _registered_endpoints(attributes: Iterable[ast.Attribute],
                          parents: dict[ast.AST, ast.AST]) -> set[str]:
    """The names of the functions registered with `router.add_api_route(path, endpoint)`."""
    names: set[str] = set()
    for attribute in attributes:
        call = parents.get(attribute)
        if attribute.attr != REGISTRATION or not isinstance(call, ast.Call) or call.func is not attribute:
            continue
        declared = registered_route(call)
        if declared is not None and isinstance(declared.endpoint, ast.Name):
            names.add(declared.endpoint.id)
    return names


class Layout(Record):
    """What the analysis service returns, as the module's governed routes use it: which element
    of a pair is the error, which attribute of an object holds it (and which the result), and
    the kinds of value the routes put under the success key (`{"result": result}`)."""

    error_index: int | None = None
    error_attribute: str = ""
    success_attribute: str = ""
    wrapped: frozenset[str] = frozenset()


class Elsewhere(Protocol):
    """Answers for names an API module imports, from the modules that define them."""

    def stands_for_service(self, name: str) -> bool | None:
        """Whether the imported name is the analysis service, an alias of it (`Annotated[Service,
        Depends(get)]`) or a provider of it; None when that cannot be read."""

    def failure_helper(self, name: str) -> FailureHelper | str | None:
        """The imported function as a failure helper, None when it is none, UNKNOWN when that
        cannot be read."""


class ApiModule:
    """What one API module shows about the analysis service: the names that hold it, the
    failure helpers, and the layout of what its entry methods return."""

    def __init__(self, tree: ast.Module, config: Config, functions: Iterable[FunctionNode],
                 attributes: Iterable[ast.Attribute], parents: dict[ast.AST, ast.AST],
                 imported: dict[str, str], elsewhere: Elsewhere | None = None) -> None:
        self.tree = tree
        self.config = config
        self.parents = parents
        self.imported = imported
        # What the rest of the project says of an imported name (the project model), if known.
        self.elsewhere = elsewhere
        api = config.api
        self.error_key = api.error_key
        self.result_key = api.success_keys[0] if api.success_keys else ""
        self.service_names = frozenset((*api.service_names,
                                        config.services.analysis.class_name)) - {""}
        self.entry_methods = frozenset(config.services.analysis.entry_methods)
        functions = list(functions)
        # Module-level functions: helpers, providers, predicates. Routes may be nested too.
        self.functions = [function for function in functions
                          if isinstance(parents.get(function), ast.Module)]
        self.routes = route_functions(functions, attributes, parents)

    @cached_property
    def definitions(self) -> dict[str, FunctionNode]:
        return {function.name: function for function in self.functions}

    @cached_property
    def service_types(self) -> frozenset[str]:
        """Names that stand for the service in annotations: its names and this module's type
        aliases of them (`Facade = Annotated[VisionFacade, Depends(get_facade)]`)."""
        names = set(self.service_names)
        for node in self.tree.body:
            target, value = _alias_assignment(node)
            if target and annotation_names(value) & self.service_names:
                names.add(target)
        return frozenset(names)

    @cached_property
    def instances(self) -> frozenset[str]:
        """Module-level names that hold the service: `service = AnalysisService(...)`,
        `_service: AnalysisService | None = None`, `engine = get_analysis_service()`."""
        names: set[str] = set()
        for node in self.tree.body:
            target, value = _alias_assignment(node)
            if not target or isinstance(node, getattr(ast, "TypeAlias", ())):
                continue
            annotation = node.annotation if isinstance(node, ast.AnnAssign) else None
            called = unwrap(value) if value is not None else None
            if annotation_names(annotation) & self.service_names or (
                    isinstance(called, ast.Call)
                    and last_name(called.func) in self.service_names):
                names.add(target)
        return frozenset(names)

    @cached_property
    def providers(self) -> frozenset[str]:
        """Functions whose result is the service: its configured names, and functions of this
        module that return it (by return annotation, a module-level instance, or reading
        `app.state.<service name>`)."""
        names = set(self.service_names)
        for function in self.functions:
            if annotation_names(function.returns) & self.service_names:
                names.add(function.name)
            elif any(isinstance(node, ast.Return) and node.value is not None
                     and self._returns_service(node.value) for node in walk_local(function)):
                names.add(function.name)
        return frozenset(names)

    def _returns_service(self, value: ast.AST) -> bool:
        value = unwrap(value)
        if isinstance(value, ast.Name):
            return value.id in self.instances
        return is_app_state(value) and any(
            (isinstance(part, ast.Attribute) and part.attr in self.service_names)
            or (string_constant(part) in self.service_names) for part in ast.walk(value))

    def stands_for_service(self, name: str) -> bool | None:
        """Whether a name in an annotation or a `Depends(...)` stands for the analysis service:
        its configured names, this module's type aliases of them and the functions that provide
        it. None (unknown) for another imported name: an alias or provider defined in another
        module (`FacadeDep` from `api/deps.py`) is for a model of the whole project to resolve."""
        if name in self.service_types or name in self.providers:
            return True
        if name not in self.imported:
            return False
        return self.elsewhere.stands_for_service(name) if self.elsewhere is not None else None

    def failure_helper(self, name: str) -> FailureHelper | str | None:
        """What a route hands the error to when it calls `name(error)`: one of this module's
        failure helpers, UNKNOWN for an imported function (its body is in another module, for
        the project model to read), None for anything else of this module."""
        if name in self.helpers:
            return self.helpers[name]
        if name not in self.imported:
            return None
        return self.elsewhere.failure_helper(name) if self.elsewhere is not None else UNKNOWN

    @cached_property
    def endpoints(self) -> list[Endpoint]:
        """The governed HTTP endpoints: routes that call an entry method of the service and
        answer for one analysis (a batch route that walks the results is not the analyze
        endpoint)."""
        found = []
        for function in self.routes:
            if is_websocket_route(function):
                continue
            endpoint = Endpoint(function, self)
            if endpoint.service_calls and not endpoint.iterates_result:
                found.append(endpoint)
        return found

    @cached_property
    def layout(self) -> Layout:
        endpoints = self.endpoints
        return Layout(
            error_index=_decide(
                [vote for endpoint in endpoints for vote in endpoint.pair_votes("error")],
                [vote for endpoint in endpoints for vote in endpoint.pair_votes("result")],
                [vote for endpoint in endpoints for vote in endpoint.pair_votes("weak")],
                complement=True),
            error_attribute=_decide(
                [vote for endpoint in endpoints for vote in endpoint.attribute_votes("error")],
                [vote for endpoint in endpoints for vote in endpoint.attribute_votes("result")],
                [vote for endpoint in endpoints for vote in endpoint.attribute_votes("weak")])
            or "",
            success_attribute=_single(
                [vote for endpoint in endpoints for vote in endpoint.attribute_votes("result")])
            or "",
            wrapped=frozenset(kind for endpoint in endpoints for kind in endpoint.wrapped_kinds))

    @cached_property
    def helpers(self) -> dict[str, FailureHelper]:
        """The module's failure helpers, by name."""
        found: dict[str, FailureHelper] = {}
        routes = {id(route) for route in self.routes}
        handed = self._handed_to_helpers()
        for function in self.functions:
            if id(function) in routes or not _raises_http_exception(function):
                continue
            parameter = _first_parameter(function)
            if parameter is None:
                continue
            form = self._helper_form(parameter, handed.get(function.name, ""))
            if form:
                found[function.name] = FailureHelper(function, parameter.arg, form)
        return found

    def _helper_form(self, parameter: ast.arg, handed: str) -> str:
        """How a function treats its parameter, when it is a failure helper: as a governed
        route of this module hands it the result or the error, or as its annotation says (a
        type imported from the envelope module). Anything else is unknown: `"error"` is a
        common key, and a helper raising for another service's errors is not this contract."""
        if handed:
            return handed
        return OBJECT if self._envelope_annotation(parameter.annotation) else ""

    def _envelope_annotation(self, annotation: ast.AST | None) -> bool:
        """An annotation naming a type imported from the envelope module (`FailureEnvelope`)."""
        envelope = self.config.envelope.module
        for name in annotation_names(annotation):
            origin = self.imported.get(name, "")
            module = origin.lstrip(".").rsplit(".", 1)[0] if "." in origin.lstrip(".") else ""
            if envelope and module and module_matches(module, (envelope,)):
                return True
        return False

    def _handed_to_helpers(self) -> dict[str, str]:
        """Functions of this module a governed route hands the error to, with the form."""
        handed: dict[str, str] = {}
        for endpoint in self.endpoints:
            for call in endpoint.local_calls():
                if not isinstance(call.func, ast.Name) or call.func.id not in self.definitions:
                    continue
                argument = call.args[0] if call.args else None
                if argument is not None and endpoint.is_envelope(argument):
                    handed[call.func.id] = DICT if endpoint.form == DICT else OBJECT
        return handed


def _alias_assignment(node: ast.stmt) -> tuple[str, ast.AST | None]:
    """(`Alias`, its value) for `Alias = ...`, `Alias: TypeAlias = ...`, `type Alias = ...`."""
    if isinstance(node, ast.Assign) and len(node.targets) == 1 \
            and isinstance(node.targets[0], ast.Name):
        return node.targets[0].id, node.value
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) \
            and node.value is not None:
        return node.target.id, node.value
    type_alias = getattr(ast, "TypeAlias", None)
    if type_alias is not None and isinstance(node, type_alias):
        return node.name.id, node.value
    return "", None


def _decide(strong: list, against: list, weak: list, complement: bool = False):
    """The one candidate the votes point at, or None: `strong` votes say "this is it",
    `against` votes say "this is not it" (for a pair, `complement` makes a vote against one
    element a vote for the other); `weak` votes count only when the strong ones say nothing.
    Contradicting votes decide nothing."""
    candidates = set(strong)
    excluded = set(against)
    if complement:
        candidates |= {1 - index for index in against}
        excluded |= {1 - index for index in strong}
    if candidates & excluded:
        return None
    if not candidates:
        candidates = set(weak) - excluded
    return candidates.pop() if len(candidates) == 1 else None


def _single(votes: list):
    found = set(votes)
    return found.pop() if len(found) == 1 else None


def _raises_http_exception(function: FunctionNode) -> bool:
    return any(isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)
               and last_name(node.exc.func) == "HTTPException"
               for node in walk_local(function))


def _first_parameter(function: FunctionNode) -> ast.arg | None:
    arguments = [*function.args.posonlyargs, *function.args.args]
    if arguments and arguments[0].arg in ("self", "cls"):
        arguments = arguments[1:]
    return arguments[0] if arguments else None
