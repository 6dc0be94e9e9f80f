"""What the expressions of one file hold, as project classes: the model's answer for a check.

`FileObjects` types the expressions a check asks about, inside one function of the file, from
facts only: a constructor call (`LoudnessAnalyser()`), a call of a function or method whose
return annotation names a class (`self._catalog.resolve(name)` when `resolve` returns `-> Base`),
a parameter's annotation (through aliases and `Annotated`), `self.<attribute>` (what the class
assigns to it, see `ProjectModel.attribute_classes`), `<app>.state.<name>` (what the project's
functions assign to it, `ProjectModel.state_classes`), a local variable assigned one of these,
and an element of a container so annotated (`for plugin in self._catalog.all()` when `all`
returns `list[Base]`). Anything else is unknown: an empty list, never a guess.
"""

from __future__ import annotations

import ast
from functools import cached_property

from flake8_phase12.model.facts import Module
from flake8_phase12.analysis.names import dotted_name, last_name
from flake8_phase12.model.project import ProjectModel, Ref, parse_expression
from flake8_phase12.records import Record

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
# Annotations whose (last) argument is the element type of a container.
CONTAINERS = frozenset({"list", "List", "Sequence", "Iterable", "Iterator", "tuple", "Tuple", "set",
                        "Set", "frozenset", "FrozenSet", "Collection", "AsyncIterator",
                        "AsyncIterable", "Generator", "dict", "Dict", "Mapping", "MutableMapping"})
MAX_DEPTH = 6


class Typed(Record):
    """The project classes an expression may hold (`classes`), and whether it holds one of them
    itself or an element of a container of them (`element`)."""

    classes: tuple[Ref, ...]
    element: bool = False


class FileObjects:
    """Types expressions of one parsed file; `parents` are the file's parent links."""

    def __init__(self, model: ProjectModel, module: Module, tree: ast.Module,
                 parents: dict[ast.AST, ast.AST]) -> None:
        self.model = model
        self.module = module
        self.tree = tree
        self.parents = parents

    @cached_property
    def _functions(self) -> dict[FunctionNode, str]:
        """Each function node of the file -> its qualname (`Class.method`, `outer.inner`)."""
        names: dict[FunctionNode, str] = {}

        def visit(body: list[ast.stmt], prefix: str) -> None:
            for node in body:
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    names[node] = f"{prefix}{node.name}"
                    visit(node.body, f"{prefix}{node.name}.")
                elif isinstance(node, ast.ClassDef):
                    visit(node.body, f"{prefix}{node.name}.")
                elif isinstance(node, (ast.If, ast.Try, ast.With)):
                    visit([*node.body, *getattr(node, "orelse", []), *getattr(node, "finalbody", []),
                           *(statement for handler in getattr(node, "handlers", [])
                             for statement in handler.body)], prefix)
        visit(self.tree.body, "")
        return names

    def enclosing_function(self, node: ast.AST) -> FunctionNode | None:
        current = self.parents.get(node)
        while current is not None and not isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef)):
            current = self.parents.get(current)
        return current

    def enclosing_class(self, function: FunctionNode | None) -> Ref | None:
        """The class a method belongs to (the innermost class around the function)."""
        current = self.parents.get(function) if function is not None else None
        while current is not None and not isinstance(current, ast.ClassDef):
            if isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef)):
                return None  # a function nested in a method: `self` is not its own
            current = self.parents.get(current)
        if current is None:
            return None
        qualname = self._class_qualname(current)
        return Ref(self.module.name, qualname, "class") if qualname else None

    def _class_qualname(self, node: ast.ClassDef) -> str:
        names = [node.name]
        current = self.parents.get(node)
        while current is not None:
            if isinstance(current, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                names.append(current.name)
            current = self.parents.get(current)
        return ".".join(reversed(names))

    def classes(self, expression: ast.AST, at: ast.AST | None = None) -> Typed:
        """The classes `expression` may hold; `at` is a node of its function (default: itself)."""
        function = self.enclosing_function(at if at is not None else expression)
        return self._type(expression, function, 0)

    def _type(self, node: ast.AST, function: FunctionNode | None, depth: int) -> Typed:
        if depth > MAX_DEPTH:
            return Typed(())
        if isinstance(node, ast.Await):
            return self._type(node.value, function, depth + 1)
        if isinstance(node, ast.Call):
            return self._call(node, function, depth)
        if isinstance(node, ast.Name):
            return self._name(node.id, function, depth)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
            owner = self.enclosing_class(function)
            if owner is not None:
                return Typed(tuple(self.model.attribute_classes(owner, node.attr)))
        if isinstance(node, ast.Attribute):
            return self._attribute(node, function, depth)
        if isinstance(node, ast.Subscript):
            container = self._type(node.value, function, depth + 1)
            if container.element:
                return Typed(container.classes)
        return Typed(())

    def _attribute(self, node: ast.Attribute, function: FunctionNode | None, depth: int) -> Typed:
        """`obj.attr` where `obj`'s class assigns or declares `attr`."""
        owner = self._type(node.value, function, depth + 1)
        if owner.element:
            return Typed(())
        if not owner.classes and isinstance(node.value, ast.Attribute) and node.value.attr == "state":
            # `request.app.state.jobs`: what the project puts on the application's state.
            return Typed(tuple(self.model.state_classes(node.attr)))
        found: list[Ref] = []
        for cls in owner.classes:
            found += self.model.attribute_classes(cls, node.attr)
        return Typed(tuple(dict.fromkeys(found)))

    def _call(self, node: ast.Call, function: FunctionNode | None, depth: int) -> Typed:
        callee = node.func
        if isinstance(callee, ast.Attribute):
            receiver = self._type(callee.value, function, depth + 1)
            if receiver.classes and not receiver.element:
                return self._method_result(receiver.classes, callee.attr)
        written = dotted_name(callee)
        ref = self.model.resolve(self.module, written) if written else None
        if ref is None and isinstance(callee, ast.Name) and function is not None:
            # `cls()` for `cls` looping over classes: `for cls in (A, B)`, `for cls in BUILTINS`.
            return Typed(tuple(cls for iterable, in_loop in _bindings(function, callee.id) if in_loop
                               for cls in self._class_list(iterable, depth + 1)))
        if ref is None:
            return Typed(())
        if ref.kind == "class":
            return Typed((ref,))
        if ref.kind == "function":
            return self._returns(ref)
        return Typed(())

    def _class_list(self, node: ast.AST, depth: int, module: Module | None = None) -> list[Ref]:
        """The classes a literal tuple, list or set of class names holds, directly or through a
        module-level name defined anywhere (`PLUGINS = (Ocr, Motion)`, imported)."""
        module = module or self.module
        if isinstance(node, ast.Name) and depth < MAX_DEPTH:
            ref = self.model.resolve(module, node.id)
            assignment = self.model.assignment(ref)
            owner = self.model.module(ref.module) if ref is not None else None
            if assignment is None or owner is None:
                return []
            value = parse_expression(assignment.value)
            return self._class_list(value, depth + 1, owner) if value is not None else []
        if not isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            return []
        found = []
        for element in node.elts:
            written = dotted_name(element)
            ref = self.model.resolve(module, written) if written else None
            if ref is not None and ref.kind == "class":
                found.append(ref)
        return found

    def _method_result(self, classes: tuple[Ref, ...], name: str) -> Typed:
        found: list[Ref] = []
        element = False
        for cls in classes:
            method = self.model.method(cls, name)
            if method is not None:
                typed = self._returns(method)
                found += typed.classes
                element = element or typed.element
        return Typed(tuple(dict.fromkeys(found)), element)

    def _returns(self, ref: Ref) -> Typed:
        function = self.model.function(ref)
        module = self.model.module(ref.module)
        if function is None or module is None or not function.returns:
            return Typed(())
        return self.annotation(module, function.returns)

    def annotation(self, module: Module, annotation: str) -> Typed:
        """The classes an annotation names, an element type when it is a container's."""
        node = parse_expression(annotation)
        if isinstance(node, ast.Subscript) and last_name(node.value) in CONTAINERS:
            elements = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            inner = elements[-1] if elements else node.slice
            return Typed(tuple(self.model.annotation_classes(module, ast.unparse(inner))), element=True)
        return Typed(tuple(self.model.annotation_classes(module, annotation)))

    def _name(self, name: str, function: FunctionNode | None, depth: int) -> Typed:
        if function is None:
            return self._module_name(name, depth)
        qualname = self._functions.get(function)
        facts = next((item for item in self.module.functions if item.qualname == qualname), None)
        param = facts.param(name) if facts is not None else None
        if param is not None and param.annotation:
            return self.annotation(self.module, param.annotation)
        found: list[Ref] = []
        element = False
        for value, in_loop in _bindings(function, name):
            typed = self._type(value, function, depth + 1)
            if in_loop and typed.element:
                found += typed.classes
            elif not in_loop and not typed.element:
                found += typed.classes
            elif not in_loop:
                found += typed.classes
                element = True
        return Typed(tuple(dict.fromkeys(found)), element)

    def _module_name(self, name: str, depth: int) -> Typed:
        for assignment in self.module.assignments:
            if assignment.name == name:
                value = parse_expression(assignment.value)
                if value is not None and depth < MAX_DEPTH:
                    return self._type(value, None, depth + 1)
        return Typed(())

    # -- plugins -------------------------------------------------------------------------------

    def is_plugin(self, expression: ast.AST, base_names: tuple[str, ...],
                  at: ast.AST | None = None) -> bool:
        """Whether `expression` holds an instance of a class deriving from a plugin base."""
        typed = self.classes(expression, at)
        return not typed.element and any(
            self.model.derives_from(cls, base_names, itself=True) for cls in typed.classes)


def _bindings(function: FunctionNode, name: str) -> list[tuple[ast.AST, bool]]:
    """The values assigned to `name` in the function's own body; True for a loop target."""
    found: list[tuple[ast.AST, bool]] = []
    stack: list[ast.AST] = list(function.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        if isinstance(node, ast.Assign) and any(isinstance(target, ast.Name) and target.id == name
                                                for target in node.targets):
            found.append((node.value, False))
        elif isinstance(node, (ast.AnnAssign, ast.NamedExpr)) and isinstance(node.target, ast.Name) \
                and node.target.id == name and node.value is not None:
            found.append((node.value, False))
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)) \
                and isinstance(node.target, ast.Name) and node.target.id == name:
            found.append((node.iter, True))
        stack.extend(ast.iter_child_nodes(node))
    return found
