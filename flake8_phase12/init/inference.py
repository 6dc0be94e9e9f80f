"""What expressions hold, for following a service chain: the project model's reading
(`model.objects`), in the terms `phase12 init` walks with (classes and functions of the parsed
project).

Only what the source says plainly counts: a constructor call, an annotation (through aliases,
`Optional`, `Annotated[Svc, Depends(get)]`), a getter's return annotation or the class it
returns, `Depends(get_service)`, the attributes a class assigns (`self._runner = runner or
ToolRunner()`), what the constructions of a class pass for a parameter stored on `self`
(`Desk(run=functools.partial(invoke, catalog))`), what is stored on `app.state`. Anything else
is unknown, never guessed.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from functools import cached_property

from flake8_phase12.init.project import Project, SourceModule, Symbol, module_level_statements
from flake8_phase12.model.objects import Held, objects_of
from flake8_phase12.model.project import Ref

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


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

    @property
    def ref(self) -> Ref:
        return Ref(self.module.name, self.node.name, "class")

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
    how: str = ""

    @property
    def is_instance(self) -> bool:
        return self.cls is not None and not self.method


@dataclass
class Types:
    """The model's reading of expressions, over one parsed project."""

    project: Project
    _classes: dict[tuple[str, str], ClassInfo] = field(default_factory=dict)
    _attributes: dict[int, dict[str, Value]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for module in self.project.modules.values():
            for node in module_level_statements(module.tree):
                if isinstance(node, ast.ClassDef):
                    self._classes[(module.name, node.name)] = ClassInfo(module, node)

    @property
    def model(self):
        return self.project.model

    @property
    def classes(self) -> list[ClassInfo]:
        return list(self._classes.values())

    def class_info(self, ref: Ref | None) -> ClassInfo | None:
        return self._classes.get((ref.module, ref.qualname)) if ref is not None else None

    def class_of_symbol(self, symbol: Symbol | None) -> ClassInfo | None:
        if symbol is None or not isinstance(symbol.node, ast.ClassDef):
            return None
        return self._classes.get((symbol.module.name, symbol.node.name))

    def class_named(self, module: SourceModule, node: ast.AST) -> ClassInfo | None:
        """The project class an expression names (`ToolRunner`, `runner_mod.ToolRunner`)."""
        return self.class_of_symbol(self.project.resolve_expression(module, node))

    def base_classes(self, info: ClassInfo) -> list[ClassInfo]:
        return [found for base in self.model.bases(info.ref) if isinstance(base, Ref)
                and (found := self.class_info(base)) is not None and found is not info]

    def infer(self, node: ast.AST | None, module: SourceModule, function: FunctionNode | None = None,
              owner: ClassInfo | None = None) -> Value | None:
        """What `node` holds inside `function` (a method of `owner`, when given)."""
        del owner  # the model finds a method's class from the tree
        objects = objects_of(self.model, module.name) if node is not None else None
        if objects is None:
            return None
        return self._value(objects.value_in_function(node, function))

    def attributes(self, info: ClassInfo) -> dict[str, Value]:
        """`self.<name>` -> what it holds, for every attribute the class (or a project base)
        declares or assigns."""
        key = id(info)
        if key not in self._attributes:
            found: dict[str, Value] = {}
            objects = objects_of(self.model, info.module.name)
            for name in self._attribute_names(info.ref):
                value = self._value(objects.member(info.ref, name)) if objects is not None else None
                if value is not None:
                    found[name] = value
            self._attributes[key] = found
        return self._attributes[key]

    def _attribute_names(self, ref: Ref) -> list[str]:
        names: list[str] = []
        for owner in (ref, *self.model.ancestors(ref)):
            facts = self.model.class_(owner) if isinstance(owner, Ref) else None
            if facts is not None:
                names += [item.name for item in facts.fields] + [item.name for item in facts.attributes]
        return list(dict.fromkeys(names))

    def _value(self, held: Held) -> Value | None:
        """The model's `Held` in this project's terms."""
        if held.class_objects:
            info = self.class_info(held.class_objects[0])
            return Value(cls=info, method="__class__", how=held.how) if info is not None else None
        if held.classes and not held.element:
            info = self.class_info(held.classes[0])
            return Value(cls=info, method=held.method, how=held.how) if info is not None else None
        if held.functions:
            symbol = self.project.symbol(held.functions[0])
            return Value(function=symbol, how=held.how) if symbol is not None else None
        if held.parameter:
            return Value(parameter=held.parameter, how=held.how)
        return None


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


def parameter_names(function: FunctionNode) -> list[str]:
    """Positional parameter names after `self`/`cls`, in order."""
    arguments = function.args
    names = [arg.arg for arg in (*arguments.posonlyargs, *arguments.args)]
    return names[1:] if names and names[0] in ("self", "cls") else names
