"""The chain layer of a module, a class or a function of the project (checklist §6).

`layers.chain` orders module patterns top to bottom, the API first and the runner last (see
`analysis.layers`). A module belongs to the first layer whose patterns match its dotted name; a
class or a function belongs to the layer of the module that defines it. So a call is judged by
what its callee IS, wherever the object came from and whatever the attribute holding it is
called: in `self._board._gateway.execute(...)` the model types `self._board` (a `JobBoard`,
from the constructor parameter it was assigned) and `JobBoard._gateway` (a `ToolGateway`), and
the call reaches the layer of `ToolGateway`'s module.

Not every class of a layer module is the layer: a dataclass, a NamedTuple, a TypedDict, a
pydantic model, an enum or an exception defined beside a service is a value the layers hand
around (`Job`, `Outcome`). Such a class stands for its layer only when the configuration names
it (`services.*.class`, `runner.class`). A module-level function of a layer module is the layer
(an analysis "service" written as functions); a method is its class's.

Whatever the model cannot type is unknown (None), and the checks say nothing about it.

"""

from __future__ import annotations

import ast
import builtins

from flake8_phase12.analysis.layers import Layer, chain_index, chain_layers
from flake8_phase12.analysis.names import dotted_name
from flake8_phase12.config.model import Config
from flake8_phase12.model.objects import FileObjects
from flake8_phase12.model.project import Ref
from flake8_phase12.records import Record

# Bases and decorators of classes that are values handed between layers, not a layer.
VALUE_BASES = frozenset({
    "Exception", "BaseException", "NamedTuple", "TypedDict", "BaseModel", "Enum", "IntEnum",
    "StrEnum", "Flag", "IntFlag",
})
VALUE_DECORATORS = frozenset({"dataclass", "dataclasses.dataclass", "attrs.define", "attr.s",
                              "define", "frozen"})


class Reached(Record):
    """What an expression or a call reaches: the chain layer (its position in `layers.chain`),
    the definition that puts it there, and for a call the method called on it ('' otherwise)."""

    position: int
    ref: Ref
    method: str = ""


class Chain:
    """The configured chain, asked about the definitions of one file's expressions."""

    def __init__(self, config: Config, objects: FileObjects) -> None:
        self.config = config
        self.layers: tuple[Layer, ...] = chain_layers(config)
        self.objects = objects
        self.model = objects.model
        self._classes: dict[Ref, int | None] = {}

    # -- layers of definitions ------------------------------------------------------------------

    def module_index(self, module: str) -> int | None:
        """The position in the chain of the layer a module (dotted name) belongs to."""
        return chain_index(self.config, module)

    def class_index(self, ref: Ref) -> int | None:
        """The layer a project class stands for, or None (not in the chain, or a value class)."""
        if ref not in self._classes:
            self._classes[ref] = self._class_index(ref)
        return self._classes[ref]

    def _class_index(self, ref: Ref) -> int | None:
        index = self.module_index(ref.module)
        if index is None:
            return None
        if ref.name in self.layers[index].names:
            return index
        cls = self.model.class_(ref)
        if cls is None:
            return None
        decorators = {decorator.split("(", 1)[0] for decorator in cls.decorators}
        if decorators & VALUE_DECORATORS:
            return None
        bases = {base.split("[", 1)[0].rsplit(".", 1)[-1] for base in cls.bases}
        if bases & VALUE_BASES or self.model.derives_from(ref, tuple(VALUE_BASES)) is not False:
            return None  # a value, or an ancestor the model cannot read: unknown
        if any(_is_builtin_exception(ancestor) for ancestor in self.model.ancestors(ref)):
            return None
        return index

    def definition_index(self, ref: Ref) -> int | None:
        """The layer of a class, a function or a method (its class's) of the project."""
        if ref.kind == "class":
            return self.class_index(ref)
        if ref.kind != "function":
            return None
        owner, _, _ = ref.qualname.rpartition(".")
        if owner:
            cls = Ref(ref.module, owner, "class")
            if self.model.class_(cls) is not None:
                return self.class_index(cls)
        return self.module_index(ref.module)

    # -- what the expressions of the file reach --------------------------------------------------

    def holds(self, expression: ast.AST, at: ast.AST | None = None) -> Reached | None:
        """The layer of the object an expression holds (`self._board`, `services.engine`), when
        every class the model gives it is of that one layer."""
        try:
            return self._holds(expression, at)
        except RecursionError:  # machine-made nesting: unknown
            return None

    def _holds(self, expression: ast.AST, at: ast.AST | None) -> Reached | None:
        typed = self.objects.classes(expression, at)
        if not typed.classes or typed.element:
            return None
        indexes = {self.class_index(ref) for ref in typed.classes}
        if len(indexes) != 1:
            return None
        index = indexes.pop()
        return Reached(index, typed.classes[0]) if index is not None else None

    def callee(self, call: ast.Call) -> Reached | None:
        """The layer a call reaches: the class of the object whose method it calls, the class it
        constructs, or the function it calls, wherever they are defined."""
        try:
            return self._callee(call)
        except RecursionError:  # machine-made nesting: unknown
            return None

    def _callee(self, call: ast.Call) -> Reached | None:
        func = call.func
        if isinstance(func, ast.Attribute):
            receiver = self._holds(func.value, call)
            if receiver is not None:
                return Reached(receiver.position, receiver.ref, func.attr)
        written = dotted_name(func)
        if not written or written.split(".", 1)[0] in ("self", "cls"):
            return None
        ref = self.model.resolve(self.objects.module, written)
        if ref is None:
            return None
        index = self.definition_index(ref)
        if index is None:
            return None
        method = ref.qualname.rsplit(".", 1)[-1] if ref.kind == "function" else ""
        return Reached(index, ref, method)


def _is_builtin_exception(ancestor: object) -> bool:
    """`RuntimeError`, `KeyError`: a base the model keeps as the builtin's name."""
    if not isinstance(ancestor, str):
        return False
    found = getattr(builtins, ancestor, None)
    return isinstance(found, type) and issubclass(found, BaseException)
