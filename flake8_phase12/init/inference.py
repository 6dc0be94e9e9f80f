"""Static type guesses good enough to follow a service chain: what class an expression holds.

Only what the source says plainly counts: a constructor call (`ToolRunner(...)`), an annotation
(`runner: ToolRunner | None`), a getter's return annotation or the class it returns,
`Depends(get_service)`, and the attributes a class assigns (`self._runner = runner or
ToolRunner()`). Anything else is unknown, never guessed.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

from flake8_phase12.init.project import Project, SourceModule, Symbol, module_level_statements

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
# Annotation names that wrap the type rather than being it.
TYPING_WRAPPERS = frozenset({"Optional", "Union", "Annotated", "Final", "ClassVar", "None",
                             "Type", "type"})
CALLABLE_NAMES = frozenset({"Callable", "Awaitable", "Coroutine"})
MAX_DEPTH = 6


@dataclass(eq=False)
class ClassInfo:
    """A class of the codebase with its module; hashed by identity."""
    module: SourceModule
    node: ast.ClassDef

    def __hash__(self) -> int:
        return id(self)

    @property
    def name(self) -> str:
        return self.node.name

    @property
    def qualified(self) -> str:
        return f"{self.module.name}.{self.node.name}"

    @cached_property
    def methods(self) -> dict[str, FunctionNode]:
        return {item.name: item for item in self.node.body
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))}

    @property
    def location(self) -> str:
        return self.module.location(self.node)


@dataclass(frozen=True)
class Value:
    """What an expression holds: an instance of `cls`, the bound method `cls.method`, the
    module-level function `function`, or a constructor parameter `parameter` (an injected
    dependency whose value the class body does not show)."""

    cls: ClassInfo | None = None
    method: str = ""
    function: Symbol | None = None
    parameter: str = ""
    annotated_callable: bool = False
    how: str = ""

    @property
    def is_instance(self) -> bool:
        return self.cls is not None and not self.method


@dataclass
class Types:
    """Class lookups and expression inference over one project."""

    project: Project
    _classes: dict[tuple[str, str], ClassInfo] = field(default_factory=dict)
    _attributes: dict[int, dict[str, Value]] = field(default_factory=dict)
    # infer() results by (node, function, owner); also breaks cycles such as `x = x or X()`.
    _inferred: dict[tuple[int, int, int], Value | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for module in self.project.modules.values():
            for node in module_level_statements(module.tree):
                if isinstance(node, ast.ClassDef):
                    self._classes[(module.name, node.name)] = ClassInfo(module, node)

    @property
    def classes(self) -> list[ClassInfo]:
        return list(self._classes.values())

    def class_of_symbol(self, symbol: Symbol | None) -> ClassInfo | None:
        if symbol is None or not isinstance(symbol.node, ast.ClassDef):
            return None
        return self._classes.get((symbol.module.name, symbol.node.name))

    def class_named(self, module: SourceModule, node: ast.AST) -> ClassInfo | None:
        """The project class an expression names (`ToolRunner`, `runner_mod.ToolRunner`)."""
        return self.class_of_symbol(self.project.resolve_expression(module, node))

    def base_classes(self, info: ClassInfo) -> list[ClassInfo]:
        bases = []
        for base in info.node.bases:
            resolved = self.class_named(info.module, base)
            if resolved is not None and resolved is not info:
                bases.append(resolved)
        return bases

    # -- annotations ---------------------------------------------------------------------

    def annotation_value(self, module: SourceModule, annotation: ast.AST | None) -> Value | None:
        """`ToolRunner | None`, `Optional["ToolRunner"]`, `Annotated[Svc, Depends(get)]`,
        `Callable[..., dict]`."""
        if annotation is None:
            return None
        if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
            try:
                annotation = ast.parse(annotation.value, mode="eval").body
            except (SyntaxError, ValueError, RecursionError):
                return None
        for node in _annotation_parts(annotation):
            if isinstance(node, (ast.Name, ast.Attribute)):
                info = self.class_named(module, node)
                if info is not None:
                    return Value(cls=info, how="annotation")
        if any(last_identifier(node) in CALLABLE_NAMES for node in ast.walk(annotation)):
            return Value(annotated_callable=True, how="annotation")
        return None

    # -- expressions ---------------------------------------------------------------------

    def infer(self, node: ast.AST | None, module: SourceModule, function: FunctionNode | None = None,
              owner: ClassInfo | None = None, depth: int = 0) -> Value | None:
        """What `node` holds inside `function` (a method of `owner`, when given)."""
        if node is None or depth > MAX_DEPTH:
            return None
        key = (id(node), id(function), id(owner))
        if key in self._inferred:
            return self._inferred[key]
        self._inferred[key] = None
        value = self._infer(node, module, function, owner, depth)
        self._inferred[key] = value
        return value

    def _infer(self, node: ast.AST, module: SourceModule, function: FunctionNode | None,
               owner: ClassInfo | None, depth: int) -> Value | None:
        if isinstance(node, ast.Await):
            return self.infer(node.value, module, function, owner, depth + 1)
        if isinstance(node, ast.BoolOp):
            return self._first(node.values, module, function, owner, depth)
        if isinstance(node, ast.IfExp):
            return self._first([node.body, node.orelse], module, function, owner, depth)
        if isinstance(node, ast.Call):
            return self._call_value(node, module, function, owner, depth)
        if isinstance(node, ast.Name):
            return self._name_value(node.id, module, function, owner, depth)
        if isinstance(node, ast.Attribute):
            return self._attribute_value(node, module, function, owner, depth)
        return None

    def _first(self, nodes, module, function, owner, depth) -> Value | None:
        for item in nodes:
            value = self.infer(item, module, function, owner, depth + 1)
            if value is not None and (value.cls is not None or value.function is not None):
                return value
        return None

    def _call_value(self, node: ast.Call, module, function, owner, depth) -> Value | None:
        # `Depends(get_service)` stands for what `get_service()` returns.
        target = node.args[0] if last_identifier(node.func) == "Depends" and node.args else node.func
        symbol = self.project.resolve_expression(module, target)
        info = self.class_of_symbol(symbol)
        if info is not None:
            return Value(cls=info, how="constructor")
        if symbol is not None and isinstance(symbol.node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return self.returned_value(symbol, depth + 1)
        callee = self.infer(node.func, module, function, owner, depth + 1)
        if callee is not None and callee.cls is not None and callee.method:
            method = callee.cls.methods.get(callee.method)
            if method is not None:
                return self.annotation_value(callee.cls.module, method.returns)
        return None

    def _name_value(self, name: str, module, function, owner, depth) -> Value | None:
        if function is not None:
            parameter = parameter_named(function, name)
            if parameter is not None:
                return self._parameter_value(parameter, function, module, owner, depth)
            for assigned in _local_assignments(function, name):
                value = self.infer(assigned, module, function, owner, depth + 1)
                if value is not None:
                    return value
        symbol = self.project.resolve(module, name)
        if symbol is None:
            return None
        info = self.class_of_symbol(symbol)
        if info is not None:
            return Value(cls=info, method="__class__", how="class")
        if isinstance(symbol.node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return Value(function=symbol, how="function")
        return self.global_value(symbol, depth + 1)

    def _parameter_value(self, parameter: ast.arg, function, module, owner, depth) -> Value:
        value = self.annotation_value(module, parameter.annotation)
        if value is not None and value.cls is not None:
            return value
        default = _default(function, parameter.arg)
        guessed = self.infer(default, module, function, owner, depth + 1) if default is not None else None
        if guessed is not None and (guessed.cls is not None or guessed.function is not None):
            return guessed
        return Value(parameter=parameter.arg,
                     annotated_callable=bool(value and value.annotated_callable), how="parameter")

    def _attribute_value(self, node: ast.Attribute, module, function, owner, depth) -> Value | None:
        if isinstance(node.value, ast.Name) and node.value.id == "self" and owner is not None:
            if node.attr in owner.methods:
                return Value(cls=owner, method=node.attr, how="method")
            return self.attributes(owner).get(node.attr)
        symbol = self.project.resolve_expression(module, node)
        if symbol is not None:
            info = self.class_of_symbol(symbol)
            if info is not None:
                return Value(cls=info, method="__class__", how="class")
            if isinstance(symbol.node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                return Value(function=symbol, how="function")
            return self.global_value(symbol, depth + 1)
        receiver = self.infer(node.value, module, function, owner, depth + 1)
        if receiver is not None and receiver.is_instance and receiver.cls is not None:
            if node.attr in receiver.cls.methods:
                return Value(cls=receiver.cls, method=node.attr, how=receiver.how)
            return self.attributes(receiver.cls).get(node.attr)
        return None

    def global_value(self, symbol: Symbol, depth: int = 0) -> Value | None:
        """A module-level variable: its annotation or any value assigned to it in the module."""
        module = symbol.module
        if isinstance(symbol.node, ast.AnnAssign):
            value = self.annotation_value(module, symbol.node.annotation)
            if value is not None and value.cls is not None:
                return value
        for assigned in _global_assignments(module.tree, symbol.name):
            value = self.infer(assigned, module, None, None, depth + 1)
            if value is not None:
                return value
        return None

    def returned_value(self, symbol: Symbol, depth: int = 0) -> Value | None:
        """What a function returns: its return annotation, else the class of a `return`."""
        function = symbol.node
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)) or depth > MAX_DEPTH:
            return None
        value = self.annotation_value(symbol.module, function.returns)
        if value is not None and value.cls is not None:
            return Value(cls=value.cls, how="return annotation")
        for node in ast.walk(function):
            if isinstance(node, ast.Return) and node.value is not None:
                value = self.infer(node.value, symbol.module, function, None, depth + 1)
                if value is not None and value.is_instance:
                    return value
        return None

    # -- attributes of a class -----------------------------------------------------------

    def attributes(self, info: ClassInfo) -> dict[str, Value]:
        """`self.<name>` -> what it holds, from class-level annotations and assignments in the
        methods (including inherited ones from project base classes)."""
        key = id(info)
        if key in self._attributes:
            return self._attributes[key]
        self._attributes[key] = {}  # guards against cycles through the bases
        found: dict[str, Value] = {}
        for base in reversed(self.base_classes(info)):
            found.update(self.attributes(base))
        for item in info.node.body:
            if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                value = self.annotation_value(info.module, item.annotation)
                if value is not None and value.annotated_callable:
                    # A dataclass-style field holding an injected callable.
                    value = Value(parameter=item.target.id, annotated_callable=True, how="field")
                if value is not None:
                    found[item.target.id] = value
        for method in info.methods.values():
            for name, annotation, assigned in _self_assignments(method):
                value = self.annotation_value(info.module, annotation) if annotation else None
                if value is None or value.cls is None:
                    value = self.infer(assigned, info.module, method, info) or value
                if value is not None and (name not in found or _better(value, found[name])):
                    found[name] = value
        self._attributes[key] = found
        return found


def _better(new: Value, old: Value) -> bool:
    def rank(value: Value) -> int:
        return 2 if value.cls is not None or value.function is not None else 1 if value.parameter else 0
    return rank(new) > rank(old)


def _annotation_parts(annotation: ast.AST) -> Iterator[ast.AST]:
    """The parts of an annotation that may name the type, outermost first, wrappers skipped."""
    if isinstance(annotation, ast.Subscript):
        wrapper = last_identifier(annotation.value)
        if wrapper in CALLABLE_NAMES:
            return
        if wrapper in TYPING_WRAPPERS:
            inner = annotation.slice
            items = inner.elts if isinstance(inner, ast.Tuple) else [inner]
            if wrapper == "Annotated":
                items = items[:1]
            for item in items:
                yield from _annotation_parts(item)
            return
        yield annotation.value
        return
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        yield from _annotation_parts(annotation.left)
        yield from _annotation_parts(annotation.right)
        return
    if isinstance(annotation, (ast.Name, ast.Attribute)) \
            and last_identifier(annotation) not in TYPING_WRAPPERS:
        yield annotation


def last_identifier(node: ast.AST) -> str:
    """`Name` -> its id, `a.b.C` -> `C`, anything else -> ""."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def parameter_named(function: FunctionNode, name: str) -> ast.arg | None:
    """The parameter `name` of `function` (positional or keyword-only), if it has one."""
    arguments = function.args
    for arg in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs):
        if arg.arg == name:
            return arg
    return None


def _default(function: FunctionNode, name: str) -> ast.AST | None:
    arguments = function.args
    positional = [*arguments.posonlyargs, *arguments.args]
    for arg, default in zip(positional[len(positional) - len(arguments.defaults):], arguments.defaults):
        if arg.arg == name:
            return default
    for arg, default in zip(arguments.kwonlyargs, arguments.kw_defaults):
        if arg.arg == name:
            return default
    return None


def parameter_names(function: FunctionNode) -> list[str]:
    """Positional parameter names after `self`/`cls`, in order."""
    arguments = function.args
    names = [arg.arg for arg in (*arguments.posonlyargs, *arguments.args)]
    return names[1:] if names and names[0] in ("self", "cls") else names


def _local_assignments(function: FunctionNode, name: str) -> Iterator[ast.AST]:
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name
                                                for t in node.targets):
            yield node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) \
                and node.target.id == name and node.value is not None:
            yield node.value
        elif isinstance(node, ast.NamedExpr) and node.target.id == name:
            yield node.value


def _global_assignments(tree: ast.Module, name: str) -> Iterator[ast.AST]:
    """Values assigned to the module global `name`, at module level or under `global name`."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name
                                                for t in node.targets):
            yield node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) \
                and node.target.id == name and node.value is not None:
            yield node.value


def _self_assignments(method: FunctionNode) -> Iterator[tuple[str, ast.AST | None, ast.AST | None]]:
    """(attribute, annotation, value) for each `self.<attribute> = value` in a method."""
    for node in ast.walk(method):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                name = _self_attribute(target)
                if name:
                    yield name, None, node.value
        elif isinstance(node, ast.AnnAssign):
            name = _self_attribute(node.target)
            if name:
                yield name, node.annotation, node.value


def _self_attribute(node: ast.AST) -> str:
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
        return node.attr
    return ""
