"""Recognising plugin objects by type with astroid, where names say nothing.

The flake8 plugin recognises plugins by name and by annotations that name a configured base
class. Here an expression is a plugin when astroid infers an instance of a class that is, or
derives from, a configured base class or protocol (`plugin_base_classes`), or when the
annotation that binds it names such a class. astroid ignores annotations, so parameters,
annotated assignments, return annotations of the callee and attributes assigned in methods are
read here, then the annotation itself is inferred to a class.

Every astroid failure counts as "not known to be a plugin": the name-based verdict of the
shared engine stands, and linting goes on.
"""

from __future__ import annotations

import ast
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field

from astroid import bases, nodes, util
from astroid.exceptions import AstroidError

from flake8_phase12.analysis.names import matches_any
from flake8_phase12.analysis.plugins import INTROSPECTION_CALLS
from flake8_phase12.config.model import Config

# Anything astroid may raise while inferring arbitrary user code.
INFERENCE_ERRORS = (AstroidError, RecursionError, AttributeError, TypeError, ValueError,
                    KeyError, IndexError, StopIteration)
MAX_INFERRED = 8  # values looked at per expression: enough for a few branches, bounded cost
MAX_BINDING_DEPTH = 4  # `a = b; b = c; ...` chains followed from an expression
SELF_NAMES = frozenset({"self", "cls"})
MAX_SELF_DEPTH = 3  # `self.engine.run` and `self.engines.ocr.run`, not longer chains
TYPING_WRAPPERS = frozenset({"Optional", "Union", "Annotated", "Final", "ClassVar"})


def inferred(node: nodes.NodeNG) -> list[object]:
    """Up to MAX_INFERRED inferred values of `node`, without Uninferable; [] on any failure."""
    try:
        return [value for value in itertools.islice(node.infer(), MAX_INFERRED)
                if not isinstance(value, util.UninferableBase)]
    except INFERENCE_ERRORS:
        return []


def function_of(value: object) -> nodes.FunctionDef | None:
    """The function behind an inferred callee: a function, or a bound/unbound method."""
    if isinstance(value, bases.UnboundMethod):  # BoundMethod derives from it
        # astroid has no public accessor for the function behind a method.
        value = value._proxied  # pylint: disable=protected-access
    return value if isinstance(value, nodes.FunctionDef) else None


@dataclass
class PluginTypes:
    """Type-based plugin recognition for one configuration; caches by astroid node."""

    config: Config
    _classes: dict[nodes.ClassDef, bool] = field(default_factory=dict, repr=False)

    # -- classes -------------------------------------------------------------------------

    def is_plugin_class(self, klass: nodes.ClassDef) -> bool:
        """`klass` is a configured base class or protocol, or derives from one."""
        cached = self._classes.get(klass)
        if cached is None:
            cached = self._names_base(klass) or any(self._names_base(ancestor)
                                                    for ancestor in self._ancestors(klass))
            self._classes[klass] = cached
        return cached

    def _names_base(self, klass: nodes.ClassDef) -> bool:
        for wanted in self.config.plugin_base_classes:
            if "." in wanted:
                qualified = klass.qname()
                if qualified == wanted or qualified.endswith("." + wanted):
                    return True
            elif klass.name == wanted:
                return True
        return False

    @staticmethod
    def _ancestors(klass: nodes.ClassDef) -> Iterator[nodes.ClassDef]:
        try:
            yield from itertools.islice(klass.ancestors(), 50)
        except INFERENCE_ERRORS:
            pass  # a hierarchy astroid cannot read: no (more) ancestors

    # -- expressions ---------------------------------------------------------------------

    def is_plugin(self, expression: nodes.NodeNG) -> bool:
        """Inferred to be an instance of a plugin class, or bound by a plugin annotation."""
        if isinstance(expression, nodes.Await):
            expression = expression.value
        if isinstance(expression, nodes.Name) and expression.name in SELF_NAMES:
            return False  # `self.run()` is never an execution (as in the flake8 plugin)
        return any(self.is_plugin_class(klass)
                   for klass in self.classes_of(expression, depth=0, seen=set()))

    def classes_of(self, expression: nodes.NodeNG, depth: int,
                   seen: set[nodes.NodeNG]) -> Iterator[nodes.ClassDef]:
        """Classes `expression` may be an instance of, lazily, cheapest evidence first:
        astroid's inference, then the annotations of the bindings it comes from."""
        if depth > MAX_BINDING_DEPTH or expression in seen:
            return
        seen.add(expression)
        if isinstance(expression, nodes.Await):
            expression = expression.value
        for value in inferred(expression):
            if isinstance(value, bases.Instance) and not isinstance(value, nodes.Const) \
                    and isinstance(getattr(value, "_proxied", None), nodes.ClassDef):
                yield value._proxied  # pylint: disable=protected-access
        if isinstance(expression, nodes.Name):
            bindings: Iterator[nodes.NodeNG] = iter(bindings_of(expression))
        elif isinstance(expression, nodes.Attribute):
            bindings = self._attribute_bindings(expression, depth, seen)
        elif isinstance(expression, nodes.Call):
            for function in self._callees(expression.func, depth, seen):
                yield from self.annotation_classes(function.returns)
            return
        else:
            return
        for binding in bindings:
            yield from self._binding_classes(binding, depth, seen)

    def _binding_classes(self, binding: nodes.NodeNG, depth: int,
                         seen: set[nodes.NodeNG]) -> Iterator[nodes.ClassDef]:
        """A name or attribute binding: a parameter, `x: T = ...`, `x = value`, `(x := value)`."""
        parent = binding.parent
        if isinstance(parent, nodes.Arguments):
            yield from self.annotation_classes(parameter_annotation(parent, binding))
        elif isinstance(parent, nodes.AnnAssign):
            yield from self.annotation_classes(parent.annotation)
            if parent.value is not None:
                yield from self.classes_of(parent.value, depth + 1, seen)
        elif isinstance(parent, nodes.Assign) and binding in parent.targets:
            yield from self.classes_of(parent.value, depth + 1, seen)
        elif isinstance(parent, nodes.NamedExpr):
            yield from self.classes_of(parent.value, depth + 1, seen)

    def _attribute_bindings(self, attribute: nodes.Attribute, depth: int,
                            seen: set[nodes.NodeNG]) -> Iterator[nodes.NodeNG]:
        """Where `obj.name` is assigned: `self.name = ...` in any method, `name: T` in the class."""
        for klass in self._owner_classes(attribute.expr, depth, seen):
            for holder in (klass, *self._ancestors(klass)):
                yield from holder.instance_attrs.get(attribute.attrname, ())
                yield from (local for local in holder.locals.get(attribute.attrname, ())
                            if isinstance(local, nodes.AssignName))

    def _callees(self, func: nodes.NodeNG, depth: int,
                 seen: set[nodes.NodeNG]) -> Iterator[nodes.FunctionDef]:
        """The functions a call may call: inferred, or `obj.method` looked up in obj's class."""
        found = False
        for value in inferred(func):
            function = function_of(value)
            if function is not None:
                found = True
                yield function
        if found or not isinstance(func, nodes.Attribute):
            return
        for klass in self._owner_classes(func.expr, depth, seen):
            try:
                members = klass.getattr(func.attrname)
            except INFERENCE_ERRORS:
                continue
            yield from (member for member in members if isinstance(member, nodes.FunctionDef))

    def _owner_classes(self, owner: nodes.NodeNG, depth: int,
                       seen: set[nodes.NodeNG]) -> Iterator[nodes.ClassDef]:
        # `self` is an owner like any other: `self.engine` is looked up in the class.
        unique: set[nodes.ClassDef] = set()
        for klass in self.classes_of(owner, depth + 1, seen):
            if klass not in unique:
                unique.add(klass)
                yield klass

    # -- annotations ---------------------------------------------------------------------

    def annotation_is_plugin(self, annotation: nodes.NodeNG | None) -> bool:
        return any(self.is_plugin_class(klass) for klass in self.annotation_classes(annotation))

    def annotation_classes(self, annotation: nodes.NodeNG | None) -> Iterator[nodes.ClassDef]:
        """Classes an annotation says a value is: `P`, `mod.P`, `"P"`, `P | None`, `Optional[P]`."""
        if annotation is None:
            return
        if isinstance(annotation, nodes.Const) and isinstance(annotation.value, str):
            yield from _classes_named_in_string(annotation, annotation.value)
        elif isinstance(annotation, nodes.BinOp) and annotation.op == "|":
            yield from self.annotation_classes(annotation.left)
            yield from self.annotation_classes(annotation.right)
        elif isinstance(annotation, nodes.Subscript):
            wrapper = _last_name(annotation.value)
            if wrapper not in TYPING_WRAPPERS:
                return  # `list[P]` holds plugins but is not one
            inner = annotation.slice
            members = inner.elts if isinstance(inner, nodes.Tuple) else [inner]
            if wrapper != "Union":
                members = members[:1]
            for member in members:
                yield from self.annotation_classes(member)
        elif isinstance(annotation, (nodes.Name, nodes.Attribute)):
            yield from (value for value in inferred(annotation) if isinstance(value, nodes.ClassDef))


def bindings_of(name: nodes.Name) -> list[nodes.NodeNG]:
    try:
        _, assignments = name.lookup(name.name)
    except INFERENCE_ERRORS:
        return []
    return [node for node in assignments if isinstance(node, nodes.AssignName)]


def parameter_annotation(arguments: nodes.Arguments, binding: nodes.NodeNG) -> nodes.NodeNG | None:
    groups = ((arguments.posonlyargs, arguments.posonlyargs_annotations),
              (arguments.args or [], arguments.annotations),
              (arguments.kwonlyargs, arguments.kwonlyargs_annotations))
    for names, annotation_list in groups:
        for name, annotation in zip(names, annotation_list):
            if name is binding:
                return annotation
    return None


def _classes_named_in_string(anchor: nodes.NodeNG, text: str) -> Iterator[nodes.ClassDef]:
    """Classes a string annotation names at its top level (`"P | None"`, `"mod.P"`)."""
    try:
        expression = ast.parse(text.strip(), mode="eval").body
    except (SyntaxError, ValueError):
        return
    for member in _union_members(expression):
        dotted = _dotted(member)
        if dotted:
            yield from (value for value in inferred(_name_at(dotted, anchor))
                        if isinstance(value, nodes.ClassDef))


def _name_at(dotted: str, anchor: nodes.NodeNG) -> nodes.NodeNG:
    """A `Name`/`Attribute` chain for `dotted`, placed where the string annotation is, so that
    astroid looks its names up in the annotation's own scope."""
    position = {"lineno": anchor.lineno, "col_offset": anchor.col_offset,
                "end_lineno": anchor.end_lineno, "end_col_offset": anchor.end_col_offset}
    head, *tail = dotted.split(".")
    node: nodes.NodeNG = nodes.Name(head, parent=anchor, **position)
    for attribute in tail:
        outer = nodes.Attribute(attribute, parent=anchor, **position)
        outer.postinit(node)
        node.parent = outer
        node = outer
    return node


def _union_members(expression: ast.expr) -> list[ast.expr]:
    if isinstance(expression, ast.BinOp) and isinstance(expression.op, ast.BitOr):
        return _union_members(expression.left) + _union_members(expression.right)
    if isinstance(expression, ast.Subscript) and _dotted(expression.value).rsplit(".", 1)[-1] \
            in ("Optional", "Union"):
        inner = expression.slice
        elements = inner.elts if isinstance(inner, ast.Tuple) else [inner]
        return [member for element in elements for member in _union_members(element)]
    return [expression]


def _dotted(expression: ast.expr) -> str:
    if isinstance(expression, ast.Name):
        return expression.id
    if isinstance(expression, ast.Attribute):
        base = _dotted(expression.value)
        return f"{base}.{expression.attr}" if base else ""
    return ""


def _last_name(node: nodes.NodeNG) -> str | None:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Attribute):
        return node.attrname
    return None


# -- executions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExecutionReference:
    """`receiver.run` (called or passed on) or `getattr(receiver, "run")` in astroid terms."""

    node: nodes.NodeNG
    receiver: nodes.NodeNG
    method: str


def execution_reference(node: nodes.NodeNG, methods: tuple[str, ...]) -> ExecutionReference | None:
    """The same references the flake8 rule looks at (loads only), on astroid nodes."""
    if isinstance(node, nodes.Attribute) and node.attrname in methods:
        return ExecutionReference(node, node.expr, node.attrname)
    if (isinstance(node, nodes.Call) and isinstance(node.func, nodes.Name)
            and node.func.name == "getattr" and len(node.args) >= 2
            and isinstance(node.args[1], nodes.Const) and node.args[1].value in methods):
        return ExecutionReference(node, node.args[0], node.args[1].value)
    return None


def is_introspection(reference: ExecutionReference) -> bool:
    """`callable(plugin.run)`, `inspect.signature(plugin.run)`: looked at, not executed."""
    parent = reference.node.parent
    if isinstance(parent, nodes.Call) and reference.node is not parent.func:
        return matches_any(render_name(parent.func), INTROSPECTION_CALLS)
    return False


def describe(reference: ExecutionReference) -> str:
    text = reference.node.as_string()
    parent = reference.node.parent
    if isinstance(parent, nodes.Call) and parent.func is reference.node:
        text += "(...)"
    return text if len(text) <= 60 else text[:57] + "..."


def render_name(node: nodes.NodeNG) -> str | None:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Attribute):
        base = render_name(node.expr)
        return f"{base}.{node.attrname}" if base is not None else None
    return None
