"""What griffe does not model, read from each module's own `ast`: FastAPI routes, the dict
shapes route handlers return, and the exceptions functions raise.

Everything here is syntax only. A route is a decorator `@R.get(path)` / `@R.api_route(path,
methods=[...])` or a call `R.add_api_route(path, endpoint, methods=[...])` whose receiver `R` is
an `APIRouter(...)`/`FastAPI(...)` of the module, a router imported from another module, or any
name in a module that imports FastAPI (or matches `api.route_modules`). Prefixes come from
`APIRouter(prefix=...)` and from `include_router(router, prefix=...)` anywhere in the tree.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from flake8_phase12.analysis.context import module_matches

ROUTE_DECORATOR_METHODS = {
    "get": "GET", "post": "POST", "put": "PUT", "patch": "PATCH", "delete": "DELETE",
    "head": "HEAD", "options": "OPTIONS", "trace": "TRACE", "websocket": "WEBSOCKET",
}
ROUTER_FACTORIES = ("APIRouter", "FastAPI")
OPEN_SHAPE_MARKER = "**"


@dataclass(frozen=True)
class RouteDeclaration:
    """A route as declared in the source: router, methods, path, handler."""
    router: str  # the router's id: "<module>.<variable>"
    methods: tuple[str, ...]
    path: str
    handler: str  # dotted path of the endpoint function
    line: int
    shapes: tuple[tuple[str, ...], ...] | None


@dataclass(frozen=True)
class Inclusion:
    """`include_router`: a router mounted on an app or another router, under a prefix."""
    parent: str  # router id of the app or router that includes
    child: str  # router id of the included router
    prefix: str


@dataclass
class ModuleFacts:
    """What one module declares of the public API: routers, routes, inclusions, raises, shapes."""
    module: str
    file: str
    router_prefixes: dict[str, str] = field(default_factory=dict)
    routes: list[RouteDeclaration] = field(default_factory=list)
    inclusions: list[Inclusion] = field(default_factory=list)
    # Qualified name in the module (`Class.method`) -> exception classes raised, as written.
    raises: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Qualified name -> key sets of the dict literals it returns (see `return_shapes`).
    shapes: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)


# One walk gathers every kind of fact, each in its own local.
# pylint: disable-next=too-many-locals
def module_facts(tree: ast.Module, module: str, file: str, *, is_package: bool,
                 route_modules: tuple[str, ...]) -> ModuleFacts:
    facts = ModuleFacts(module=module, file=file)
    # One walk for what is needed from anywhere in the module: imports and calls.
    import_nodes: list[ast.Import | ast.ImportFrom] = []
    calls: list[ast.Call] = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            import_nodes.append(node)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in (
                "add_api_route", "include_router"):
            calls.append(node)
    imports = _import_table(import_nodes, module, is_package)
    constants = _string_constants(tree)
    facts.router_prefixes = _routers(tree, module, constants)
    accepts_any_receiver = _imports_fastapi(import_nodes) or module_matches(module, route_modules)
    functions = _functions_by_name(tree)

    def router_id(node: ast.expr) -> str | None:
        if isinstance(node, ast.Name):
            local = f"{module}.{node.id}"
            if local in facts.router_prefixes:
                return local
            if node.id in imports:
                return imports[node.id]
            return local if accepts_any_receiver else None
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in imports:
            return f"{imports[node.value.id]}.{node.attr}"
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
            return None  # a router held by an object: not statically placed
        return None

    for function, qualname in _all_functions(tree):
        own = _own_nodes(function)
        facts.raises[qualname] = _raised_exceptions(own)
        shapes = return_shapes(function, own)
        if shapes is not None:
            facts.shapes[qualname] = shapes
        for decorator in function.decorator_list:
            declaration = _decorator_route(decorator, router_id, constants)
            if declaration is None:
                continue
            router, methods, path = declaration
            facts.routes.append(RouteDeclaration(
                router=router, methods=methods, path=path, handler=f"{module}.{qualname}",
                line=function.lineno, shapes=shapes))
    for call in calls:
        assert isinstance(call.func, ast.Attribute)
        if call.func.attr == "add_api_route":
            _add_api_route(call, router_id, constants, functions, imports, module, facts)
        elif call.func.attr == "include_router":
            parent = router_id(call.func.value)
            included = call.args[0] if call.args else _keyword(call, "router")
            child = router_id(included) if included is not None else None
            if parent and child:
                prefix = _string(_keyword(call, "prefix"), constants) or ""
                facts.inclusions.append(Inclusion(parent=parent, child=child, prefix=prefix))
    return facts


def _add_api_route(call: ast.Call, router_id, constants: dict[str, str],  # noqa: ANN001 - local closure type
                   functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef],
                   imports: dict[str, str], module: str, facts: ModuleFacts) -> None:
    router = router_id(call.func.value)  # type: ignore[attr-defined]
    path = _string(call.args[0] if call.args else _keyword(call, "path"), constants)
    endpoint = call.args[1] if len(call.args) > 1 else _keyword(call, "endpoint")
    if router is None or path is None:
        return
    handler, shapes, line = "", None, call.lineno
    if isinstance(endpoint, ast.Name):
        if endpoint.id in functions:
            handler, shapes = f"{module}.{endpoint.id}", return_shapes(functions[endpoint.id])
        else:
            handler = imports.get(endpoint.id, f"{module}.{endpoint.id}")
    elif isinstance(endpoint, ast.Attribute):
        handler = ast.unparse(endpoint)
    methods = _methods(_keyword(call, "methods")) or ("GET",)
    facts.routes.append(RouteDeclaration(router=router, methods=methods, path=path, handler=handler,
                                         line=line, shapes=shapes))


def _decorator_route(decorator: ast.expr, router_id, constants: dict[str, str]  # noqa: ANN001
                     ) -> tuple[str, tuple[str, ...], str] | None:
    if not (isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute)):
        return None
    attribute = decorator.func.attr
    if attribute not in ROUTE_DECORATOR_METHODS and attribute != "api_route":
        return None
    path = _string(decorator.args[0] if decorator.args else _keyword(decorator, "path"), constants)
    if path is None:
        return None
    router = router_id(decorator.func.value)
    if router is None:
        return None
    if attribute == "api_route":
        methods = _methods(_keyword(decorator, "methods")) or ("GET",)  # FastAPI's default
    else:
        methods = (ROUTE_DECORATOR_METHODS[attribute],)
    return router, methods, path


def _methods(node: ast.expr | None) -> tuple[str, ...]:
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return tuple(sorted({element.value.upper() for element in node.elts
                             if isinstance(element, ast.Constant) and isinstance(element.value, str)}))
    return ()


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    return None


def _string(node: ast.expr | None, constants: dict[str, str]) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name):
        return constants.get(node.id)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _string(node.left, constants), _string(node.right, constants)
        return left + right if left is not None and right is not None else None
    return None


def _string_constants(tree: ast.Module) -> dict[str, str]:
    """Module-level `NAME = "text"`, so `@router.get(ANALYZE_PATH)` still has a path."""
    constants: dict[str, str] = {}
    for statement in tree.body:
        target, value = None, None
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target, value = statement.targets[0], statement.value
        elif isinstance(statement, ast.AnnAssign):
            target, value = statement.target, statement.value
        if isinstance(target, ast.Name) and isinstance(value, ast.Constant) and isinstance(value.value, str):
            constants[target.id] = value.value
    return constants


def _routers(tree: ast.Module, module: str, constants: dict[str, str]) -> dict[str, str]:
    """Module-level `router = APIRouter(prefix="/x")` and `app = FastAPI()`: id -> own prefix."""
    routers: dict[str, str] = {}
    for statement in tree.body:
        targets: list[ast.expr] = []
        value: ast.expr | None = None
        if isinstance(statement, ast.Assign):
            targets, value = list(statement.targets), statement.value
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            targets, value = [statement.target], statement.value
        if not isinstance(value, ast.Call):
            continue
        callee = ast.unparse(value.func).rsplit(".", 1)[-1]
        if callee not in ROUTER_FACTORIES:
            continue
        prefix = (_string(_keyword(value, "prefix"), constants) or "") if callee == "APIRouter" else ""
        for target in targets:
            if isinstance(target, ast.Name):
                routers[f"{module}.{target.id}"] = prefix
    return routers


def _imports_fastapi(import_nodes: list[ast.Import | ast.ImportFrom]) -> bool:
    for node in import_nodes:
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "fastapi":
            return True
        if isinstance(node, ast.Import) and any(alias.name.partition(".")[0] == "fastapi"
                                                for alias in node.names):
            return True
    return False


def _import_table(import_nodes: list[ast.Import | ast.ImportFrom], module: str,
                  is_package: bool) -> dict[str, str]:
    """Local name -> absolute dotted origin, with relative imports resolved."""
    package_parts = module.split(".") if is_package else module.split(".")[:-1]
    table: dict[str, str] = {}
    for node in import_nodes:
        if isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.partition(".")[0]
                table[alias.asname or top] = alias.name if alias.asname else top
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                # `from . import x` is the package itself; each further dot goes one level up.
                base_parts = package_parts[: len(package_parts) - (node.level - 1)]
                base = ".".join([*base_parts, *([node.module] if node.module else [])])
            else:
                base = node.module or ""
            for alias in node.names:
                if alias.name != "*":
                    table[alias.asname or alias.name] = f"{base}.{alias.name}" if base else alias.name
    return table


def _functions_by_name(tree: ast.Module) -> dict[str, ast.FunctionDef | ast.AsyncFunctionDef]:
    return {node.name: node for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}


def _all_functions(tree: ast.Module) -> list[tuple[ast.FunctionDef | ast.AsyncFunctionDef, str]]:
    """Module functions and methods (of classes at any depth), with their qualified names."""
    found: list[tuple[ast.FunctionDef | ast.AsyncFunctionDef, str]] = []

    def visit(body: list[ast.stmt], prefix: str) -> None:
        for statement in body:
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                found.append((statement, prefix + statement.name))
            elif isinstance(statement, ast.ClassDef):
                visit(statement.body, f"{prefix}{statement.name}.")
            elif isinstance(statement, (ast.If, ast.Try)):
                # Definitions under `if TYPE_CHECKING:`/`try: ... except ImportError:` still count.
                blocks = (statement.body, getattr(statement, "orelse", []),
                          getattr(statement, "finalbody", []))
                for block in blocks:
                    visit(block, prefix)
                for handler in getattr(statement, "handlers", []):
                    visit(handler.body, prefix)

    visit(tree.body, "")
    return found


def _own_nodes(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.AST]:
    """The nodes of a function body, not those of functions or classes nested in it."""
    nodes: list[ast.AST] = []
    pending: list[ast.AST] = list(function.body)
    while pending:
        node = pending.pop()
        nodes.append(node)
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
                pending.append(child)
    return nodes


def _raised_exceptions(own: list[ast.AST]) -> tuple[str, ...]:
    raised: set[str] = set()
    for node in own:
        if not isinstance(node, ast.Raise) or node.exc is None:
            continue
        target = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
        if isinstance(target, (ast.Name, ast.Attribute)):
            text = ast.unparse(target)
            # `raise exc` re-raises a caught object; only class-like names tell the type.
            if text.rsplit(".", 1)[-1][:1].isupper():
                raised.add(text)
    return tuple(sorted(raised))


def return_shapes(function: ast.FunctionDef | ast.AsyncFunctionDef,
                  own: list[ast.AST] | None = None) -> tuple[tuple[str, ...], ...] | None:
    """The key sets of the dict literals the function returns, or None if none is a dict.

    A shape containing `**` is open: it unpacks another mapping, so more keys may be present.
    A returned name is followed to the dict literal assigned to it in the function, plus the
    keys later stored with `name["key"] = ...` or `name.update(key=...)`.
    """
    own = own if own is not None else _own_nodes(function)
    shapes: set[tuple[str, ...]] = set()
    for node in own:
        if isinstance(node, ast.Return) and node.value is not None:
            shape = _shape_of(node.value, own)
            if shape is not None:
                shapes.add(shape)
    return tuple(sorted(shapes)) if shapes else None


def _shape_of(value: ast.expr, own: list[ast.AST]) -> tuple[str, ...] | None:
    keys = _literal_keys(value)
    if keys is not None:
        return tuple(sorted(keys))
    if isinstance(value, ast.Name):
        collected: set[str] | None = None
        for node in own:
            if isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if any(isinstance(target, ast.Name) and target.id == value.id for target in targets):
                    literal = _literal_keys(node.value) if node.value is not None else None
                    if literal is None:
                        return None  # assigned something else too: the shape is not visible
                    collected = (collected or set()) | literal
        if collected is None:
            return None
        collected |= _keys_stored_into(value.id, own)
        return tuple(sorted(collected))
    return None


def _literal_keys(value: ast.expr) -> set[str] | None:
    if isinstance(value, ast.Dict):
        keys: set[str] = set()
        for key in value.keys:
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                keys.add(key.value)
            else:
                keys.add(OPEN_SHAPE_MARKER)  # `**other` or a computed key
        return keys
    if (isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "dict"
            and not value.args):
        return {keyword.arg if keyword.arg is not None else OPEN_SHAPE_MARKER for keyword in value.keywords}
    return None


def _keys_stored_into(name: str, own: list[ast.AST]) -> set[str]:
    keys: set[str] = set()
    for node in own:
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if (isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name)
                        and target.value.id == name):
                    key = target.slice
                    keys.add(key.value if isinstance(key, ast.Constant) and isinstance(key.value, str)
                             else OPEN_SHAPE_MARKER)
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and isinstance(node.func.value, ast.Name) and node.func.value.id == name
              and node.func.attr in ("update", "setdefault")):
            if node.func.attr == "setdefault" and node.args:
                first = node.args[0]
                keys.add(first.value if isinstance(first, ast.Constant) and isinstance(first.value, str)
                         else OPEN_SHAPE_MARKER)
                continue
            for argument in node.args:
                keys |= _literal_keys(argument) or {OPEN_SHAPE_MARKER}
            keys |= {keyword.arg or OPEN_SHAPE_MARKER for keyword in node.keywords}
    return keys


def mount_prefixes(router: str, inclusions: list[Inclusion], own_prefixes: dict[str, str],
                   _seen: frozenset[str] = frozenset()) -> list[str]:
    """Every prefix under which `router` is served, from the `include_router` chains above it.

    FastAPI serves a route of `child` at: the parent's mount prefix + the parent's own
    `APIRouter(prefix=)` + the `include_router(prefix=)` + the child's own prefix + the path.
    A router nobody includes (statically) is taken as mounted at the root.
    """
    parents = [inclusion for inclusion in inclusions if inclusion.child == router]
    if not parents or router in _seen:
        return [""]
    prefixes: set[str] = set()
    for inclusion in parents:
        for outer in mount_prefixes(inclusion.parent, inclusions, own_prefixes, _seen | {router}):
            prefixes.add(outer + own_prefixes.get(inclusion.parent, "") + inclusion.prefix)
    return sorted(prefixes)
