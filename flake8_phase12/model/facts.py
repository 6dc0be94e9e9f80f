"""What one module declares, read from its `ast` in one pass: the facts other files ask about.

A module's facts are its interface as seen from elsewhere, never its whole body: the names it
imports and from where, its classes (bases as written, fields and their aliases, methods, the
attributes `__init__` and the other methods assign on `self`), its functions and methods
(parameters with annotations and defaults, the return annotation, the shape of every value
they return, the exceptions they raise, the calls they make with their arguments as written),
its module-level assignments (type aliases such as `Dep = Annotated[Service, Depends(get)]`,
instances, `functools.partial` objects) and its FastAPI routes. Expressions are kept as the
source text they were written as (`ast.unparse`), never evaluated.

The facts are plain records of strings, numbers and tuples, so a module's facts can be stored
on disk (`model.store`) and read back without parsing the file again.
"""

from __future__ import annotations

import ast

from flake8_phase12.analysis.dict_shape import FunctionShapes, Shape
from flake8_phase12.analysis.route_declarations import (
    REGISTRATION,
    RouteDeclaration,
    decorator_route,
    keyword_argument,
    registered_route,
)
from flake8_phase12.records import Record

# Bump when a record below changes shape, or what is read into it changes: stored facts of
# another format are parsed again. 8: `websocket_route` and a path in `**mapping` are routes.
# 9: returned dicts are read by `analysis.dict_shape` (comprehensions, `|`, keys in order).
FORMAT = 9
ROUTER_FACTORIES = frozenset({"APIRouter", "FastAPI"})
ROUTER_CALLS = frozenset({"include_router", REGISTRATION})
UNSPELLED_PATH = "**"
WIRE_KEYWORDS = ("alias", "validation_alias", "serialization_alias")
OPEN_KEYS = "**"  # a key the source does not spell: an unpacked mapping, a computed key


class Param(Record):
    """A parameter: its name, its annotation as written ('' when none), whether it has a
    default (and the default as written), and its kind."""

    name: str
    annotation: str = ""
    default: str | None = None
    kind: str = "positional"  # positional | keyword | var | varkw


class Call(Record):
    """A call: the callee as written (`self._jobs.submit`, `functools.partial`), its positional
    arguments and its keyword arguments, each as written."""

    callee: str
    args: tuple[str, ...] = ()
    keywords: tuple[tuple[str, str], ...] = ()
    line: int = 0


class Returned(Record):
    """One returned value. `kind` is dict (a dict the function's own code builds, as
    `analysis.dict_shape` reads it: a literal, `dict(...)`, or a variable built from them or
    given keys, `response["k"] = ...`, `.update(k=...)`, `.setdefault("k")`; its `target` the
    variable, if one: its top-level `keys`, `**` among them when the source computes a key, and
    in `items` the mappings merged in that cannot be read here, as written: `{**base()}`, a
    variable's value `card = entry.describe()`), tuple (with its `items`), call (of `target`),
    name (the variable `target`), attribute, none, constant or other."""

    kind: str
    target: str = ""
    keys: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    line: int = 0


class Function(Record):
    """A function or method; `qualname` is `Class.method`, `outer.inner` for nested ones."""

    qualname: str
    line: int
    end_line: int
    is_async: bool = False
    params: tuple[Param, ...] = ()
    returns: str = ""
    decorators: tuple[str, ...] = ()
    returned: tuple[Returned, ...] = ()
    raises: tuple[str, ...] = ()
    calls: tuple[Call, ...] = ()
    yields: bool = False
    # `target = value` where the target is an attribute of something other than `self`
    # (`app.state.analysis = services.analysis`), both as written.
    stores: tuple[tuple[str, str], ...] = ()

    @property
    def name(self) -> str:
        return self.qualname.rsplit(".", 1)[-1]

    def param(self, name: str) -> Param | None:
        return next((param for param in self.params if param.name == name), None)


class Field(Record):
    """A class-level annotated field (dataclass, NamedTuple, TypedDict, pydantic model)."""

    name: str
    annotation: str = ""
    default: str | None = None
    alias: str = ""
    # The names the field has on the wire, as `Field(...)` writes them: ("alias", "'x'"),
    # ("validation_alias", "AliasChoices('a', 'b')"), ("serialization_alias", "'y'").
    wire: tuple[tuple[str, str], ...] = ()


class Attribute(Record):
    """An attribute a method assigns on `self`, with the value and annotation as written."""

    name: str
    value: str = ""
    annotation: str = ""
    method: str = ""
    line: int = 0


class Class(Record):
    """A class: its bases and decorators as written, its fields, methods and attributes."""

    qualname: str
    line: int
    bases: tuple[str, ...] = ()
    keywords: tuple[tuple[str, str], ...] = ()
    decorators: tuple[str, ...] = ()
    fields: tuple[Field, ...] = ()
    methods: tuple[str, ...] = ()
    attributes: tuple[Attribute, ...] = ()
    # Class-level assignments without annotation (`name = "ocr"`, `model_config = ConfigDict(...)`).
    constants: tuple[tuple[str, str], ...] = ()

    @property
    def name(self) -> str:
        return self.qualname.rsplit(".", 1)[-1]


class Assignment(Record):
    """A module-level `name = value` (or `name: T = value`, `type name = value`)."""

    name: str
    value: str
    annotation: str = ""
    line: int = 0


class Route(Record):
    """A FastAPI route declared in this module: `@router.post("/x")` (anywhere, in a function
    too) or `router.add_api_route("/x", endpoint)` (at module level or in a function); what
    declares one is `analysis.route_declarations`'s to say."""

    handler: str  # decorated: the function's qualname; `add_api_route`: the endpoint as written
    methods: tuple[str, ...]
    path: str  # '' when the source does not spell it: see `path_text`
    router: str  # the receiver as written (`router`, `app`, `api.router`)
    line: int = 0  # the handler's `def` line (the call's for `add_api_route`)
    # The path as written when it is not a string literal (`ANALYZE_PATH`, `f"{BASE}/x"`):
    # `model.interface.string_value` reads it across modules. `UNSPELLED_PATH` when only an
    # unpacked mapping may hold it (`@router.get(**options)`): no expression, never read.
    path_text: str = ""


class Inclusion(Record):
    """`parent.include_router(child, prefix=...)`, receivers as written, at module level or in
    a function (`create_app()`); the prefix as `Route`'s path."""

    parent: str
    child: str
    prefix: str = ""
    line: int = 0
    prefix_text: str = ""


class Module(Record):
    """Everything one module declares (see the module docstring)."""

    name: str
    path: str
    is_package: bool = False
    imports: tuple[tuple[str, str], ...] = ()  # local name -> absolute dotted target
    classes: tuple[Class, ...] = ()
    functions: tuple[Function, ...] = ()
    assignments: tuple[Assignment, ...] = ()
    routes: tuple[Route, ...] = ()
    router_prefixes: tuple[tuple[str, str], ...] = ()  # router variable -> APIRouter(prefix=...)
    inclusions: tuple[Inclusion, ...] = ()
    exports: tuple[str, ...] = ()  # `__all__`, when it is a literal
    star_imports: tuple[str, ...] = ()

    @property
    def package(self) -> str:
        return self.name if self.is_package else self.name.rpartition(".")[0]


def text(node: ast.AST | None) -> str:
    """The expression as written (normalised by `ast.unparse`); '' for None."""
    kind = type(node)
    if kind is ast.Name:  # most texts: a name, or an attribute of one
        return node.id  # type: ignore[attr-defined]
    if kind is ast.Attribute and isinstance(node.value, ast.Name):  # type: ignore[attr-defined]
        return f"{node.value.id}.{node.attr}"  # type: ignore[attr-defined]
    if node is None:
        return ""
    names = []
    whole = node
    while isinstance(node, ast.Attribute):  # iteratively: chains may be thousands long
        names.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        names.append(node.id)
    elif names and (isinstance(node, (ast.Call, ast.Subscript))
                    or isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes))
                    and node.kind is None):
        names.append(text(node))  # `f().x`, `a[0].x`, `"".join`: no parentheses around
    else:  # `(a + b).x`, `0 .x` whole, with what `ast.unparse` adds; any other expression
        written = None if names else _written(node)
        return written if written is not None else _unparse(whole)
    return ".".join(reversed(names))


def _written(node: ast.AST) -> str | None:
    """The most common shapes, written out as `ast.unparse` writes them (it costs most of the
    facts' text); None for the others. A lone generator argument keeps `ast.unparse`:
    `f(x for x in y)`."""
    if isinstance(node, ast.Constant):
        # Not `u"..."`; floats keep `ast.unparse` (`1e309`, not `inf`).
        plain = isinstance(node.value, (str, int, bool, type(None))) and node.kind is None
        return repr(node.value) if plain else None
    if isinstance(node, ast.Call) and isinstance(node.func, (ast.Name, ast.Attribute)) \
            and all(isinstance(argument, _CALL_ARGUMENTS) for argument in node.args):
        parts = [text(argument) for argument in node.args]
        parts += [f"{keyword.arg}={text(keyword.value)}" if keyword.arg else f"**{text(keyword.value)}"
                  for keyword in node.keywords]
        return f"{text(node.func)}({', '.join(parts)})"
    if isinstance(node, ast.Subscript) and _plain(node.value, subscript=True) and _plain_index(node.slice):
        index = node.slice
        if isinstance(index, ast.Tuple):
            inner = ", ".join([text(item) for item in index.elts]) + ("," if len(index.elts) == 1 else "")
        else:
            inner = text(index)
        return f"{text(node.value)}[{inner}]"
    if isinstance(node, ast.Starred) and _plain(node.value):
        return f"*{text(node.value)}"
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS \
            and _plain(node.left, constant=True) and _plain(node.right, constant=True):
        return f"{text(node.left)} {_OPERATORS[type(node.op)]} {text(node.right)}"
    return None


def _unparse(node: ast.AST) -> str:
    try:
        return ast.unparse(node)
    except (ValueError, RecursionError):  # deep or malformed expressions: no text
        return ""


_CALL_ARGUMENTS = (ast.Name, ast.Attribute, ast.Constant, ast.Call, ast.Subscript, ast.Starred)
_OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.MatMult: "@", ast.Div: "/", ast.Mod: "%",
              ast.Pow: "**", ast.LShift: "<<", ast.RShift: ">>", ast.BitOr: "|", ast.BitXor: "^",
              ast.BitAnd: "&", ast.FloorDiv: "//"}


def _plain(node: ast.AST, subscript: bool = False, constant: bool = False) -> bool:
    """A name or a chain of attributes of a name (with `subscript`, also a plain subscript;
    with `constant`, also a string, an integer, True, False or None): written the same by
    `text` and `ast.unparse` wherever it stands, no parentheses needed."""
    if subscript and isinstance(node, ast.Subscript):
        return _plain(node.value, subscript=True) and _plain_index(node.slice)
    if constant and isinstance(node, ast.Constant):
        return (type(node.value) in (str, int, bool) or node.value is None) and node.kind is None
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name)


def _plain_index(index: ast.AST) -> bool:
    """`x[i]`, `x[a.b]`, `x["k"]`, `Dict[str, List[int]]`: what `ast.unparse` writes as `text` does."""
    if isinstance(index, ast.Tuple):
        return bool(index.elts) and all(_plain(item, subscript=True, constant=True) for item in index.elts)
    return _plain(index, subscript=True, constant=True)


def import_base(node: ast.ImportFrom, package: str) -> str:
    """The absolute module a `from ... import` reads from, relative levels resolved."""
    if not node.level:
        return node.module or ""
    parts = package.split(".") if package else []
    parts = parts[: max(0, len(parts) - (node.level - 1))]
    if node.module:
        parts.append(node.module)
    return ".".join(parts)


def extract(tree: ast.Module, name: str, path: str, is_package: bool) -> Module:
    """The facts of one parsed module."""
    return _Extractor(name, is_package).module(tree, path)


class _Extractor:
    """One pass over a module: each definition is visited once, its own body once."""

    def __init__(self, name: str, is_package: bool) -> None:
        self.name = name
        self.is_package = is_package
        self.package = name if is_package else name.rpartition(".")[0]
        self.imports: dict[str, str] = {}
        self.star: list[str] = []
        self.classes: list[Class] = []
        self.functions: list[Function] = []
        self.assignments: list[Assignment] = []
        self.routes: list[Route] = []
        self.inclusions: list[Inclusion] = []
        self.prefixes: dict[str, str] = {}
        self.exports: tuple[str, ...] = ()
        # Method qualname -> what it assigns on `self`, for its class's record.
        self.self_attributes: dict[str, list[Attribute]] = {}

    def module(self, tree: ast.Module, path: str) -> Module:
        self._block(tree.body, prefix="", top=True)
        return Module(
            name=self.name, path=path, is_package=self.is_package,
            imports=tuple(self.imports.items()), classes=tuple(self.classes),
            functions=tuple(self.functions), assignments=tuple(self.assignments),
            routes=tuple(self.routes), router_prefixes=tuple(self.prefixes.items()),
            inclusions=tuple(self.inclusions), exports=self.exports, star_imports=tuple(self.star))

    # -- statements ---------------------------------------------------------------------------

    def _block(self, body: list[ast.stmt], prefix: str, top: bool, compound: bool | None = None) -> None:
        """The statements of a module (`top`), a class or a function body; definitions under
        `if`/`try`/`with` count at module level and in a class body (`compound`)."""
        compound = top if compound is None else compound
        for statement in body:
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self._function(statement, f"{prefix}{statement.name}")
            elif isinstance(statement, ast.ClassDef):
                self._class(statement, f"{prefix}{statement.name}")
            elif isinstance(statement, (ast.Import, ast.ImportFrom)):
                self._import(statement, top)
            elif top and isinstance(statement, (ast.Assign, ast.AnnAssign)):
                self._assignment(statement)
            elif top and isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
                self._module_call(statement.value)
            elif top and type(statement).__name__ == "TypeAlias":  # `type X = ...` (3.12)
                self.assignments.append(Assignment(text(statement.name), text(statement.value),
                                                   "TypeAlias", statement.lineno))
            if compound and isinstance(statement, (ast.If, ast.Try, ast.With)) or \
                    compound and type(statement).__name__ == "TryStar":
                for part in ("body", "orelse", "finalbody"):
                    self._block(getattr(statement, part, []), prefix, top, compound)
                for handler in getattr(statement, "handlers", []):
                    self._block(handler.body, prefix, top, compound)

    def _import(self, node: ast.Import | ast.ImportFrom, top: bool) -> None:
        table = self.imports
        if isinstance(node, ast.Import):
            for alias in node.names:
                local = alias.asname or alias.name.split(".")[0]
                target = alias.name if alias.asname else local
                if top or local not in table:
                    table[local] = target
            return
        base = import_base(node, self.package)
        for alias in node.names:
            if alias.name == "*":
                self.star.append(base)
                continue
            local = alias.asname or alias.name
            if top or local not in table:
                table[local] = f"{base}.{alias.name}" if base else alias.name

    def _assignment(self, node: ast.Assign | ast.AnnAssign) -> None:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        annotation = text(node.annotation) if isinstance(node, ast.AnnAssign) else ""
        value = node.value
        for target in targets:
            if not isinstance(target, ast.Name):
                continue
            if target.id == "__all__" and isinstance(value, (ast.List, ast.Tuple)):
                self.exports = tuple(item.value for item in value.elts
                                     if isinstance(item, ast.Constant) and isinstance(item.value, str))
            self.assignments.append(Assignment(target.id, text(value), annotation, node.lineno))
            if isinstance(value, ast.Call) and text(value.func).rsplit(".", 1)[-1] in ROUTER_FACTORIES:
                prefix = keyword_argument(value, "prefix")
                self.prefixes[target.id] = prefix.value if isinstance(prefix, ast.Constant) \
                    and isinstance(prefix.value, str) else ""
        if isinstance(value, ast.Call):
            self._module_call(value)

    def _module_call(self, call: ast.Call) -> None:
        func = call.func
        if not isinstance(func, ast.Attribute):
            return
        if func.attr == "include_router":
            child = call.args[0] if call.args else keyword_argument(call, "router")
            prefix = keyword_argument(call, "prefix")
            value, written = _string_or_text(prefix) if prefix is not None else ("", "")
            self.inclusions.append(Inclusion(text(func.value), text(child), value, call.lineno, written))
        else:
            declared = registered_route(call)
            if declared is not None:
                self.routes.append(_route(declared, text(declared.endpoint), call.lineno))

    def _class(self, node: ast.ClassDef, qualname: str) -> None:
        fields: list[Field] = []
        constants: list[tuple[str, str]] = []
        methods: list[str] = []
        attributes: list[Attribute] = []
        for item in node.body:
            if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                fields.append(Field(item.target.id, text(item.annotation),
                                    text(item.value) if item.value is not None else None,
                                    _alias(item.value), _wire(item.value)))
            elif isinstance(item, ast.Assign):
                constants.extend((target.id, text(item.value)) for target in item.targets
                                 if isinstance(target, ast.Name))
            elif isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                methods.append(item.name)
        # The methods first: their walk collects what they assign on `self`.
        self._block(node.body, prefix=f"{qualname}.", top=False, compound=True)
        for method in methods:
            attributes.extend(self.self_attributes.pop(f"{qualname}.{method}", ()))
        self.classes.append(Class(
            qualname=qualname, line=node.lineno,
            bases=tuple(text(base) for base in node.bases),
            keywords=tuple((keyword.arg or "**", text(keyword.value)) for keyword in node.keywords),
            decorators=tuple(text(decorator) for decorator in node.decorator_list),
            fields=tuple(fields), methods=tuple(methods), attributes=tuple(attributes),
            constants=tuple(constants)))

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, qualname: str) -> None:
        own = _own_nodes(node)
        calls: list[Call] = []
        raises: list[str] = []
        stores: list[tuple[str, str]] = []
        assigned: list[Attribute] = []
        returns: list[ast.Return] = []
        yields = False
        for inner in own:
            if isinstance(inner, (ast.Import, ast.ImportFrom)):
                self._import(inner, top=False)  # `from x import Y` inside a function
            elif isinstance(inner, ast.Call):
                callee = text(inner.func)
                if callee:
                    calls.append(Call(callee, tuple(text(argument) for argument in inner.args),
                                      tuple((keyword.arg or "**", text(keyword.value))
                                            for keyword in inner.keywords), inner.lineno))
                if isinstance(inner.func, ast.Attribute) and inner.func.attr in ROUTER_CALLS:
                    self._module_call(inner)  # `app.include_router(...)` in `create_app()`
            elif isinstance(inner, ast.Return):
                returns.append(inner)
            elif isinstance(inner, ast.Raise) and inner.exc is not None:
                raised = inner.exc.func if isinstance(inner.exc, ast.Call) else inner.exc
                raises.append(text(raised))
            elif isinstance(inner, (ast.Yield, ast.YieldFrom)):
                yields = True
            elif isinstance(inner, (ast.Assign, ast.AnnAssign)):
                _local_assignment(inner, node.name, assigned, stores)
        # The dicts are read only where a return may give one: most functions return none.
        try:
            shapes = FunctionShapes(node, nodes=own) \
                if any(_may_be_dict(item.value) for item in returns) else None
            returned = tuple(_returned(item, shapes) for item in returns)
        except RecursionError:  # machine-made nesting (`a | b | ...` thousands long): no dict read
            returned = tuple(_returned(item, None) for item in returns)
        decorators = tuple(text(decorator) for decorator in node.decorator_list)
        self.functions.append(Function(
            qualname=qualname, line=node.lineno, end_line=node.end_lineno or node.lineno,
            is_async=isinstance(node, ast.AsyncFunctionDef), params=_params(node.args),
            returns=text(node.returns), decorators=decorators, returned=returned,
            raises=tuple(dict.fromkeys(raises)), calls=tuple(calls), yields=yields,
            stores=tuple(stores)))
        if assigned:
            self.self_attributes[qualname] = assigned
        for decorator in node.decorator_list:
            declared = decorator_route(decorator)
            if declared is not None:
                self.routes.append(_route(declared, qualname, node.lineno))
        self._block(node.body, prefix=f"{qualname}.", top=False)


def _local_assignment(node: ast.Assign | ast.AnnAssign, method: str, assigned: list[Attribute],
                      stores: list[tuple[str, str]]) -> None:
    """An assignment in a function body to an attribute: of `self` (the class's attributes) or
    of another object (`stores`)."""
    if isinstance(node, ast.AnnAssign):
        target = node.target
        if isinstance(target, ast.Attribute) and _on_self(target):
            assigned.append(Attribute(target.attr, text(node.value), text(node.annotation), method,
                                      node.lineno))
        return
    for target in node.targets:
        if isinstance(target, ast.Attribute):
            if _on_self(target):
                assigned.append(Attribute(target.attr, text(node.value), "", method, node.lineno))
            else:
                stores.append((text(target), text(node.value)))


# What a function's facts are read from: every other node of its body is only walked through.
# The statements that bind names or change dicts are read by `FunctionShapes` (the dicts returned).
_READ_NODES = frozenset({ast.Import, ast.ImportFrom, ast.Call, ast.Return, ast.Raise, ast.Yield,
                         ast.YieldFrom, ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Delete,
                         ast.For, ast.AsyncFor, ast.With, ast.AsyncWith, ast.NamedExpr})
# Fields never walked into: expression contexts and operators, and the values that are never
# nodes (names, numbers, flags). A field missing here is walked and its non-node value skipped.
_UNWALKED_FIELDS = frozenset({"ctx", "op", "ops", "names", "id", "attr", "arg", "name", "module",
                              "level", "type_comment", "kind", "is_async", "simple", "conversion"})
# Nested definitions are facts of their own; names and constants hold nothing to read.
_LEAF_TYPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Name, ast.Constant)
# Per node type, the fields to walk into, last first (filled as types are met).
_WALKED_FIELDS: dict[type, tuple[str, ...]] = {}


def _walked_fields(kind: type) -> tuple[str, ...]:
    fields = () if issubclass(kind, _LEAF_TYPES) or not issubclass(kind, ast.AST) else \
        tuple(field for field in reversed(kind._fields) if field not in _UNWALKED_FIELDS)
    _WALKED_FIELDS[kind] = fields
    return fields


def _own_nodes(function: ast.AST) -> list[ast.AST]:
    """The nodes of a function's own body that its facts are read from (`_READ_NODES`), in
    source order: nested functions and classes are their own facts (lambdas are walked: what
    they call is what the function hands on). Written out rather than `ast.walk`, and walking
    only the fields that may hold such a node: this walk is most of the cost of extracting facts."""
    found: list[ast.AST] = []
    stack: list[object] = list(reversed(getattr(function, "body", [])))
    read, walked = _READ_NODES, _WALKED_FIELDS
    pop, push, extend = stack.pop, stack.append, stack.extend
    while stack:
        node = pop()
        kind = type(node)
        if kind in read:
            found.append(node)
        fields = walked.get(kind)
        if fields is None:
            fields = _walked_fields(kind)
        for field in fields:
            value = getattr(node, field, None)
            if value.__class__ is list:
                extend(reversed(value))
            elif value is not None:
                push(value)
    return found


def _on_self(target: ast.Attribute) -> bool:
    return isinstance(target.value, ast.Name) and target.value.id in ("self", "cls")


def _params(arguments: ast.arguments) -> tuple[Param, ...]:
    positional = [*arguments.posonlyargs, *arguments.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(arguments.defaults))
    defaults += list(arguments.defaults)
    params = [Param(arg.arg, text(arg.annotation), text(default) if default is not None else None)
              for arg, default in zip(positional, defaults)]
    if arguments.vararg is not None:
        params.append(Param(arguments.vararg.arg, text(arguments.vararg.annotation), None, "var"))
    for arg, default in zip(arguments.kwonlyargs, arguments.kw_defaults):
        params.append(Param(arg.arg, text(arg.annotation), text(default) if default is not None else None,
                            "keyword"))
    if arguments.kwarg is not None:
        params.append(Param(arguments.kwarg.arg, text(arguments.kwarg.annotation), None, "varkw"))
    return tuple(params)


def _may_be_dict(value: ast.expr | None) -> bool:
    """Whether `FunctionShapes` may read a returned expression as a dict: a literal, `dict(...)`,
    a comprehension, a variable, a key of one, `a | b` (awaited or not, as `_returned` reads it)."""
    if isinstance(value, ast.Await):
        value = value.value
    if isinstance(value, ast.Call):
        return isinstance(value.func, ast.Name) and value.func.id == "dict"
    return isinstance(value, (ast.Name, ast.Dict, ast.DictComp, ast.Subscript)) \
        or isinstance(value, ast.BinOp) and isinstance(value.op, ast.BitOr)


def _returned(node: ast.Return, shapes: FunctionShapes | None) -> Returned:
    # Records built from all their values: the keyword path of `Record` costs a cold build.
    value = node.value
    line = node.lineno
    if isinstance(value, ast.Await):
        value = value.value
    if value is None or isinstance(value, ast.Constant) and value.value is None:
        return Returned("none", "", (), (), line)
    shape = shapes.value_of(value) if shapes is not None else None
    if isinstance(shape, Shape):
        # Top-level keys only, and the sources as written: the model follows them across modules.
        keys = (*shape.keys, OPEN_KEYS) if shape.computed else tuple(shape.keys)
        return Returned("dict", value.id if isinstance(value, ast.Name) else "", keys,
                        tuple(dict.fromkeys(map(text, shape.sources))), line)
    if isinstance(value, ast.Tuple):
        return Returned("tuple", "", (), tuple(text(item) for item in value.elts), line)
    if isinstance(value, ast.Call):
        keys = tuple(keyword.arg or "**" for keyword in value.keywords)
        return Returned("call", text(value.func), keys, tuple(text(argument) for argument in value.args),
                        line)
    if isinstance(value, ast.Name):
        return Returned("name", value.id, (), (), line)
    if isinstance(value, ast.Attribute):
        return Returned("attribute", text(value), (), (), line)
    if isinstance(value, ast.Constant):
        return Returned("constant", repr(value.value)[:40], (), (), line)
    return Returned("other", text(value)[:80], (), (), line)


def _alias(value: ast.expr | None) -> str:
    """`Field(alias="_internal")` / `Field(serialization_alias=...)` -> the alias."""
    if isinstance(value, ast.Call) and text(value.func).rsplit(".", 1)[-1] == "Field":
        for name in ("serialization_alias", "alias"):
            alias = keyword_argument(value, name)
            if isinstance(alias, ast.Constant) and isinstance(alias.value, str):
                return alias.value
    return ""


def _wire(value: ast.expr | None) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, ast.Call) or text(value.func).rsplit(".", 1)[-1] != "Field":
        return ()
    return tuple((keyword.arg, text(keyword.value)) for keyword in value.keywords
                 if keyword.arg in WIRE_KEYWORDS)


def _route(declared: RouteDeclaration, handler: str, line: int) -> Route:
    if declared.path is None:
        return Route(handler, declared.methods, "", text(declared.receiver), line, UNSPELLED_PATH)
    value, written = _string_or_text(declared.path)
    return Route(handler, declared.methods, value, text(declared.receiver), line, written)


def _string_or_text(node: ast.expr) -> tuple[str, str]:
    """(the string, '') when the expression is one the source spells out (a literal, literals
    joined with `+` or in an f-string), else ('', the expression as written)."""
    value = _literal_string(node)
    return (value, "") if value is not None else ("", text(node))


def _literal_string(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _literal_string(node.left), _literal_string(node.right)
        return left + right if left is not None and right is not None else None
    if isinstance(node, ast.JoinedStr):
        parts = [_literal_string(part) for part in node.values]
        return "".join(parts) if all(part is not None for part in parts) else None  # type: ignore[arg-type]
    return None


# -- storing facts as plain data -------------------------------------------------------------------

def encode(module: Module) -> tuple:
    """Plain nested tuples (strings, numbers, booleans, None) for `marshal`, which stores no
    tuple subclass: each record becomes the tuple of its values, field by field."""
    (name, path, is_package, imports, classes, functions, assignments, routes, prefixes,
     inclusions, exports, star) = module
    return (name, path, is_package, imports, tuple(map(_encode_class, classes)),
            tuple(map(_encode_function, functions)), tuple(map(tuple, assignments)),
            tuple(map(tuple, routes)), prefixes, tuple(map(tuple, inclusions)), exports, star)


def _encode_class(cls: Class) -> tuple:
    qualname, line, bases, keywords, decorators, fields, methods, attributes, constants = cls
    return (qualname, line, bases, keywords, decorators, tuple(map(tuple, fields)), methods,
            tuple(map(tuple, attributes)), constants)


def _encode_function(function: Function) -> tuple:
    (qualname, line, end_line, is_async, params, returns, decorators, returned, raises, calls, yields,
     stores) = function
    return (qualname, line, end_line, is_async, tuple(map(tuple, params)), returns, decorators,
            tuple(map(tuple, returned)), raises, tuple(map(tuple, calls)), yields, stores)


def decode(data: tuple) -> Module:
    """The `Module` `encode` stored; raises ValueError/TypeError on anything else."""
    (name, path, is_package, imports, classes, functions, assignments, routes, prefixes,
     inclusions, exports, star) = data
    return Module(
        name, path, is_package, tuple(tuple(pair) for pair in imports),
        tuple(_class(item) for item in classes), tuple(_function(item) for item in functions),
        tuple(Assignment(*item) for item in assignments), tuple(Route(*item) for item in routes),
        tuple(tuple(pair) for pair in prefixes), tuple(Inclusion(*item) for item in inclusions),
        tuple(exports), tuple(star))


def _class(data: tuple) -> Class:
    qualname, line, bases, keywords, decorators, fields, methods, attributes, constants = data
    return Class(qualname, line, tuple(bases), tuple(tuple(pair) for pair in keywords),
                 tuple(decorators), tuple(_field(*item) for item in fields), tuple(methods),
                 tuple(Attribute(*item) for item in attributes),
                 tuple(tuple(pair) for pair in constants))


def _field(name: str, annotation: str, default: str | None, alias: str, wire: tuple) -> Field:
    return Field(name, annotation, default, alias, tuple(tuple(pair) for pair in wire))


def _function(data: tuple) -> Function:
    (qualname, line, end_line, is_async, params, returns, decorators, returned, raises, calls, yields,
     stores) = data
    return Function(qualname, line, end_line, is_async, tuple(Param(*item) for item in params), returns,
                    tuple(decorators), tuple(Returned(*item) for item in returned), tuple(raises),
                    tuple(Call(item[0], tuple(item[1]), tuple(tuple(pair) for pair in item[2]), item[3])
                          for item in calls), yields, tuple(tuple(pair) for pair in stores))
