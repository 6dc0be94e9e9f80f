"""What a project offers its callers, read from the model's facts: the HTTP routes it serves with
their full paths, the key sets of the dicts its functions return, the exceptions they raise.

A route is served by a router: a module-level `APIRouter(...)`/`FastAPI(...)`, a router imported
from another module (followed through re-exports), or any receiver in a module that imports
FastAPI or matches `api.route_modules` (a router built in `create_app()`, a parameter). Its full
path is each mount prefix of its router (the `include_router(router, prefix=...)` chains above
it, anywhere in the project) + the router's own `APIRouter(prefix=...)` + the path. Paths and
prefixes the source does not spell as literals (`ANALYZE_PATH`, `f"{API}/x"`, `Paths.ANALYZE`)
are read from the string constants they name, in this module or another.

`compat` (checklist §8) compares these between the Phase 11 tree and the working tree.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable

from flake8_phase12.analysis.context import module_matches
from flake8_phase12.analysis.names import dotted_name
from flake8_phase12.model.facts import OPEN_KEYS, Function, Inclusion, Module, text
from flake8_phase12.model.project import MAX_DEPTH, ProjectModel, Ref, parse_expression
from flake8_phase12.records import Record

Shapes = tuple[tuple[str, ...], ...]
MAX_SHAPE_DEPTH = 4  # calls followed into the functions whose dicts a returned dict merges


class ServedRoute(Record):
    """One method and full path, its handler (dotted, and the function when the project defines
    it) and where the route is declared."""

    method: str
    path: str
    handler: str
    module: str
    file: str
    line: int
    function: Ref | None = None


def return_shapes(model: ProjectModel, module: Module, function: Function,
                  depth: int = 0) -> Shapes | None:
    """The key sets of the dicts the function returns (one per distinct set, sorted), or None
    when it returns none its code builds: literals, `dict(...)`, variables built from them (as
    `analysis.dict_shape` reads them; a comprehension's set is only `**`). A
    mapping merged in (`{**entry.describe(), "state": ...}`, `card = self.extractor.describe()`
    then `card["k"] = ...`) adds the keys of the project function it calls, when that function
    returns one closed key set; otherwise the set holds `**`: it is open, more keys may be there."""
    shapes = set()
    for returned in function.returned:
        if returned.kind != "dict":
            continue
        keys = set(returned.keys)
        for source in returned.items:
            merged = _call_shape(model, module, function, source, depth) \
                if depth < MAX_SHAPE_DEPTH else None
            keys.update(merged if merged is not None else (OPEN_KEYS,))
        shapes.add(tuple(sorted(keys)))
    return tuple(sorted(shapes)) if shapes else None


def _call_shape(model: ProjectModel, module: Module, function: Function, source: str,
                depth: int) -> tuple[str, ...] | None:
    """The one key set the project function that `source` calls returns, or None."""
    node = parse_expression(source)
    if isinstance(node, ast.Await):
        node = node.value
    callee = dotted_name(node.func) if isinstance(node, ast.Call) else ""
    target = _callee(model, module, function, callee) if callee else None
    shapes = function_shapes(model, target, depth + 1) if target is not None else None
    if not shapes or len(shapes) != 1:
        return None
    (only,) = shapes
    return only


def function_shapes(model: ProjectModel, ref: Ref | None, depth: int = 0) -> Shapes | None:
    """`return_shapes` of the project function `ref`; None when the model has no such function."""
    function = model.function(ref)
    module = model.module(ref.module) if ref is not None and function is not None else None
    if function is None or module is None:
        return None
    return return_shapes(model, module, function, depth)


def _callee(model: ProjectModel, module: Module, function: Function, callee: str) -> Ref | None:
    """The project function a call written in `function` reaches: a function or method named
    through imports, `self.method`, or a method of the class an attribute or a parameter holds
    (`self.plugin.describe`, `entry.as_dict`)."""
    head, _, rest = callee.partition(".")
    classes: list[Ref] = []
    if head == "self" and rest:
        owner = model.resolve(module, function.qualname.rpartition(".")[0]) if "." in function.qualname \
            else None
        classes = [owner] if owner is not None and owner.kind == "class" else []
    elif rest and (param := function.param(head)) is not None:
        classes = model.annotation_classes(module, param.annotation)
    else:
        ref = model.resolve(module, callee)
        return ref if ref is not None and ref.kind == "function" else None
    *attributes, method = rest.split(".")
    for attribute in attributes:
        classes = list(dict.fromkeys(held for cls in classes
                                     for held in model.attribute_classes(cls, attribute)))
    found = {ref for cls in classes if (ref := model.method(cls, method)) is not None}
    return found.pop() if len(found) == 1 else None


def declared_response(function: Function | None) -> str:
    """The response type a route handler declares, as written: `response_model=` in its route
    decorator, else its return annotation ('' when neither, or for no function)."""
    if function is None:
        return ""
    for decorator in function.decorators:
        call = parse_expression(decorator)
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute):
            model = next((keyword.value for keyword in call.keywords
                          if keyword.arg == "response_model"), None)
            if model is not None and not (isinstance(model, ast.Constant) and model.value is None):
                return text(model)
    return function.returns


def raised_classes(function: Function) -> tuple[str, ...]:
    """The exception classes the function raises itself, as written (`raise exc` re-raises a
    caught object: only a class-like name tells the type)."""
    return tuple(sorted({raised for raised in function.raises
                         if _is_dotted(raised) and raised.rsplit(".", 1)[-1][:1].isupper()}))


def string_value(model: ProjectModel, module: Module, expression: str, depth: int = 0) -> str | None:
    """The string an expression of `module` stands for, when the source spells it: a literal,
    a module constant (here or imported), a class constant, `+` and f-strings of those."""
    node = parse_expression(expression)
    return _string(model, module, node, depth) if node is not None else None


def _string(model: ProjectModel, module: Module, node: ast.expr, depth: int) -> str | None:
    if depth > MAX_DEPTH:
        return None
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left = _string(model, module, node.left, depth + 1)
        right = _string(model, module, node.right, depth + 1) if left is not None else None
        return left + right if left is not None and right is not None else None
    if isinstance(node, ast.JoinedStr):
        parts = []
        for part in node.values:
            if isinstance(part, ast.FormattedValue):
                value = None if part.format_spec is not None or part.conversion not in (-1, ord("s")) \
                    else _string(model, module, part.value, depth + 1)
            else:
                value = _string(model, module, part, depth + 1)
            if value is None:
                return None
            parts.append(value)
        return "".join(parts)
    if isinstance(node, (ast.Name, ast.Attribute)):
        return _named_string(model, module, text(node), depth)
    return None


def _named_string(model: ProjectModel, module: Module, written: str, depth: int) -> str | None:
    if not _is_dotted(written):
        return None
    ref = model.resolve(module, written)
    if ref is not None and ref.kind == "assignment":
        assignment, owner = model.assignment(ref), model.module(ref.module)
        if assignment is not None and owner is not None:
            return string_value(model, owner, assignment.value, depth + 1)
    owner_name, _, attribute = written.rpartition(".")
    cls_ref = model.resolve(module, owner_name) if owner_name else None
    cls = model.class_(cls_ref)
    if cls_ref is not None and cls is not None:  # `Paths.ANALYZE = "/analyze"` in a class
        value = dict(cls.constants).get(attribute)
        owner = model.module(cls_ref.module)
        if value is not None and owner is not None:
            return string_value(model, owner, value, depth + 1)
    return None


def served_routes(model: ProjectModel, modules: Iterable[Module],
                  route_modules: tuple[str, ...] = ()) -> list[ServedRoute]:
    """Every route the `modules` declare, once per method and full path (see the docstring)."""
    modules = list(modules)
    routers = _Routers(model, route_modules)
    inclusions = routers.inclusions(modules)
    found: dict[tuple[str, str, str], ServedRoute] = {}
    for module in modules:
        functions = {function.qualname: function for function in module.functions}
        for route in module.routes:
            router = routers.id(module, route.router)
            path = _spelled(model, module, route.path, route.path_text)
            if router is None or path is None:
                continue
            handler, function = _handler(model, module, route.handler, functions, route.line)
            own = routers.prefix(router)
            for mount in mount_prefixes(router, inclusions, routers.prefix):
                for method in route.methods:
                    served = ServedRoute(method, mount + own + path, handler, module.name, module.path,
                                         route.line, function)
                    found.setdefault((served.method, served.path, served.handler), served)
    return sorted(found.values(), key=lambda route: (route.path, route.method, route.handler))


def mount_prefixes(router: str, inclusions: list[Inclusion], own_prefix: Callable[[str], str],
                   seen: frozenset[str] = frozenset()) -> list[str]:
    """Every prefix under which `router` is served, from the `include_router` chains above it:
    the parent's mount prefix + the parent's own prefix + the inclusion's prefix. A router
    nobody includes (as far as the source shows) is mounted at the root."""
    parents = [inclusion for inclusion in inclusions if inclusion.child == router]
    if not parents or router in seen:
        return [""]
    prefixes: set[str] = set()
    for inclusion in parents:
        for outer in mount_prefixes(inclusion.parent, inclusions, own_prefix, seen | {router}):
            prefixes.add(outer + own_prefix(inclusion.parent) + inclusion.prefix)
    return sorted(prefixes)


class _Routers:
    """Router ids (`module.variable` where the router is defined) and their own prefixes."""

    def __init__(self, model: ProjectModel, route_modules: tuple[str, ...]) -> None:
        self.model = model
        self.route_modules = route_modules
        self._prefixes: dict[str, str] = {}

    def id(self, module: Module, receiver: str) -> str | None:
        """The router a receiver written in `module` is, or None when it is not one."""
        if not _is_dotted(receiver) or receiver.split(".", 1)[0] in ("self", "cls"):
            return None  # a router held by an object is not statically placed
        imports = dict(module.imports)
        head, dot, attribute = receiver.partition(".")
        if dot and "." in attribute or dot and head not in imports:
            return None
        if not dot and receiver in dict(module.router_prefixes):
            return f"{module.name}.{receiver}"
        ref = self.model.resolve(module, receiver) if dot or head in imports else None
        if ref is not None:
            return ref.dotted
        if head in imports:
            return f"{imports[head]}.{attribute}" if dot else imports[head]
        return f"{module.name}.{receiver}" if self._any_receiver(module) else None

    def inclusions(self, modules: list[Module]) -> list[Inclusion]:
        """The modules' `include_router` calls, between router ids, with their prefixes read."""
        found = []
        for module in modules:
            for inclusion in module.inclusions:
                parent, child = self.id(module, inclusion.parent), self.id(module, inclusion.child)
                if parent and child:
                    prefix = _spelled(self.model, module, inclusion.prefix, inclusion.prefix_text)
                    found.append(Inclusion(parent, child, prefix or "", inclusion.line))
        return found

    def _any_receiver(self, module: Module) -> bool:
        return any(target == "fastapi" or target.startswith("fastapi.") for _, target in module.imports) \
            or module_matches(module.name, self.route_modules)

    def prefix(self, router: str) -> str:
        """The router's own `APIRouter(prefix=...)`, '' when it has none the source spells."""
        if router not in self._prefixes:
            self._prefixes[router] = self._own_prefix(router)
        return self._prefixes[router]

    def _own_prefix(self, router: str) -> str:
        module_name, _, variable = router.rpartition(".")
        module = self.model.module(module_name)
        if module is None:
            return ""
        prefix = dict(module.router_prefixes).get(variable)
        if prefix:
            return prefix
        assignment = self.model.assignment(Ref(module.name, variable, "assignment"))
        call = parse_expression(assignment.value) if assignment is not None else None
        if not isinstance(call, ast.Call) or text(call.func).rsplit(".", 1)[-1] != "APIRouter":
            return ""
        written = next((keyword.value for keyword in call.keywords if keyword.arg == "prefix"), None)
        value = _string(self.model, module, written, 0) if written is not None else None
        return value or ""


def _spelled(model: ProjectModel, module: Module, value: str, written: str) -> str | None:
    return string_value(model, module, written) if written else value


def _handler(model: ProjectModel, module: Module, written: str, functions: dict[str, Function],
             line: int) -> tuple[str, Ref | None]:
    """The endpoint's dotted path and facts: a decorated function of the module, or what an
    `add_api_route` endpoint names (here, imported, or as written when it cannot be read)."""
    function = functions.get(written)
    if function is not None and function.line == line:
        return f"{module.name}.{written}", Ref(module.name, written, "function")
    ref = model.resolve(module, written) if _is_dotted(written) else None
    if ref is not None:
        return ref.dotted, ref if ref.kind == "function" else None
    head, dot, rest = written.partition(".")
    imported = dict(module.imports).get(head)
    if imported is not None:
        return (f"{imported}.{rest}" if dot else imported), None
    return (f"{module.name}.{written}" if not dot else written), None


def _is_dotted(written: str) -> bool:
    return bool(written) and all(part.isidentifier() for part in written.split("."))
