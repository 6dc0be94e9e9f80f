"""What the expressions of one file hold: the model's answer for a check, or for `init`.

`FileObjects.value(expression, at)` reads, from facts only, what an expression inside one
function of the file holds (`Held`): instances of project classes (`LoudnessAnalyser()`, a
call annotated to return a class, a parameter's annotation through aliases and `Annotated`,
`self.<attribute>` as the class assigns it, a local variable assigned one of these, an element
of a container so annotated), the classes themselves (`cls` looping over a tuple of classes),
bound methods (`self._jobs.submit`), functions (`invoke`, `functools.partial(invoke, x)`), and a
parameter of the enclosing function whose value the file does not show. With the project-wide
wiring allowed (`wiring=True`, for the audit and `init`, never one file in an editor), a
parameter stored on `self` is followed to the arguments the constructors receive
(`Desk(run=functools.partial(invoke, catalog))`), and `request.app.state.x` to what is stored
there. Anything else is unknown: an empty `Held`, never a guess.
"""

from __future__ import annotations

import ast
from functools import cached_property

from flake8_phase12.analysis.names import dotted_name, last_name
from flake8_phase12.model.facts import Function, Module
from flake8_phase12.model.project import ProjectModel, Ref, parse_expression
from flake8_phase12.records import Record

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
# Annotations whose (last) argument is the element type of a container.
CONTAINERS = frozenset({"list", "List", "Sequence", "Iterable", "Iterator", "tuple", "Tuple", "set",
                        "Set", "frozenset", "FrozenSet", "Collection", "AsyncIterator",
                        "AsyncIterable", "Generator", "dict", "Dict", "Mapping", "MutableMapping"})
CALLABLE_ANNOTATIONS = frozenset({"Callable", "Awaitable", "Coroutine"})
PARTIALS = frozenset({"partial", "partialmethod"})
# Methods of a container that give one of its elements: `entries.get(name)`.
CONTAINER_GETTERS = frozenset({"get", "pop", "setdefault", "__getitem__"})
MAX_DEPTH = 8


class Held(Record):
    """What an expression holds (see the module docstring); empty when unknown."""

    classes: tuple[Ref, ...] = ()  # instances of these classes
    element: bool = False  # ... or a container of them
    class_objects: tuple[Ref, ...] = ()  # the classes themselves
    method: str = ""  # a bound method of the instances: `obj.method`
    functions: tuple[Ref, ...] = ()  # function objects (also through `functools.partial`)
    parameter: str = ""  # a parameter of the enclosing function, value unknown here
    callable_annotation: bool = False  # that parameter is annotated `Callable[...]`
    how: str = ""

    @property
    def is_instance(self) -> bool:
        return bool(self.classes) and not self.method and not self.element

    @property
    def known(self) -> bool:
        return bool(self.classes or self.class_objects or self.functions)


EMPTY = Held()


def _union(values: list[Held]) -> Held:
    known = [value for value in values if value.known]
    if not known:
        return next((value for value in values if value.parameter), EMPTY)
    first = known[0]
    return Held(classes=tuple(dict.fromkeys(ref for value in known for ref in value.classes)),
                element=first.element,
                class_objects=tuple(dict.fromkeys(ref for value in known for ref in value.class_objects)),
                method=first.method,
                functions=tuple(dict.fromkeys(ref for value in known for ref in value.functions)),
                how=first.how)


class Typed(Record):
    """The project classes an expression may hold, or whose container it is (`element`)."""

    classes: tuple[Ref, ...]
    element: bool = False


class FileObjects:
    """Reads what the expressions of one parsed file hold; `parents` are its parent links."""

    def __init__(self, model: ProjectModel, module: Module, tree: ast.Module,
                 parents: dict[ast.AST, ast.AST], wiring: bool = False) -> None:
        self.model = model
        self.module = module
        self.tree = tree
        self.parents = parents
        self.wiring = wiring
        self._busy: set[tuple[int, int]] = set()
        self._assigned: dict[FunctionNode, dict[str, list[tuple[ast.AST, bool]]]] = {}

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

    def _bindings(self, function: FunctionNode, name: str) -> list[tuple[ast.AST, bool]]:
        """The values assigned to `name` in the function's own body; True for a loop target."""
        if function not in self._assigned:
            self._assigned[function] = _bindings_by_name(function)
        return self._assigned[function].get(name, [])

    def qualname(self, function: FunctionNode) -> str:
        return self._functions.get(function, "")

    def facts_of(self, function: FunctionNode | None) -> Function | None:
        qualname = self._functions.get(function) if function is not None else None
        return next((item for item in self.module.functions if item.qualname == qualname), None)

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
        names = [current.name]
        outer = self.parents.get(current)
        while outer is not None:
            if isinstance(outer, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                names.append(outer.name)
            outer = self.parents.get(outer)
        return Ref(self.module.name, ".".join(reversed(names)), "class")

    # -- the questions checks ask --------------------------------------------------------------

    def classes(self, expression: ast.AST, at: ast.AST | None = None) -> Typed:
        """The classes `expression` may hold; `at` is a node of its function (default: itself)."""
        held = self.value(expression, at)
        return Typed(held.classes if not held.method else (), held.element)

    def is_plugin(self, expression: ast.AST, base_names: tuple[str, ...],
                  at: ast.AST | None = None) -> bool:
        """Whether `expression` holds an instance of a class deriving from a plugin base."""
        typed = self.classes(expression, at)
        return not typed.element and any(
            self.model.derives_from(cls, base_names, itself=True) for cls in typed.classes)

    def value(self, expression: ast.AST, at: ast.AST | None = None) -> Held:
        function = self.enclosing_function(at if at is not None else expression)
        return self._value(expression, function, 0)

    def value_in_function(self, expression: ast.AST, function: FunctionNode | None) -> Held:
        """What an expression of this file holds inside `function` (None: at module level)."""
        return self._value(expression, function, 0)

    def member(self, cls: Ref, name: str) -> Held:
        """What `self.<name>` holds in the methods of `cls`."""
        return self._member(cls, name, 0, "self")

    # -- reading values -----------------------------------------------------------------------------

    def _value(self, node: ast.AST, function: FunctionNode | None, depth: int) -> Held:
        if depth > MAX_DEPTH:
            return EMPTY
        key = (id(node), id(function))
        if key in self._busy:  # `x = x or X()`: a cycle adds nothing
            return EMPTY
        self._busy.add(key)
        try:
            return self._read(node, function, depth)
        finally:
            self._busy.discard(key)

    def _read(self, node: ast.AST, function: FunctionNode | None, depth: int) -> Held:
        if isinstance(node, ast.Await):
            return self._value(node.value, function, depth + 1)
        if isinstance(node, ast.BoolOp):
            return _union([self._value(item, function, depth + 1) for item in node.values])
        if isinstance(node, ast.IfExp):
            return _union([self._value(node.body, function, depth + 1),
                           self._value(node.orelse, function, depth + 1)])
        if isinstance(node, ast.Call):
            return self._call(node, function, depth)
        if isinstance(node, ast.Name):
            return self._name(node.id, function, depth)
        if isinstance(node, ast.Attribute):
            return self._attribute(node, function, depth)
        if isinstance(node, ast.Subscript):
            container = self._value(node.value, function, depth + 1)
            if container.element:
                return Held(classes=container.classes, how=container.how)
        return EMPTY

    def _call(self, node: ast.Call, function: FunctionNode | None, depth: int) -> Held:
        callee_name = last_name(node.func)
        if callee_name in PARTIALS and node.args:
            return self._value(node.args[0], function, depth + 1)  # the function it binds
        if callee_name == "Depends" and node.args:
            provider = self._value(node.args[0], function, depth + 1)
            return self._called(provider, depth)
        if isinstance(node.func, ast.Attribute) and node.func.attr in CONTAINER_GETTERS:
            container = self._value(node.func.value, function, depth + 1)
            if container.element and not container.method:
                return Held(classes=container.classes, how=container.how)  # `entries.get(name)`
        callee = self._value(node.func, function, depth + 1)
        if not callee.known and isinstance(node.func, ast.Name) and function is not None:
            # `cls()` for `cls` looping over classes: `for cls in (A, B)`, `for cls in BUILTINS`.
            classes = tuple(cls for iterable, in_loop in self._bindings(function, node.func.id) if in_loop
                            for cls in self._class_list(iterable, depth + 1))
            return Held(classes=classes, how="constructor") if classes else EMPTY
        return self._called(callee, depth)

    def _called(self, callee: Held, depth: int) -> Held:
        """What calling a value gives: an instance of a class object, what a function or a
        bound method returns."""
        if callee.class_objects:
            return Held(classes=callee.class_objects, how="constructor")
        if callee.method:
            return _union([self._returns(method, depth) for cls in callee.classes
                           if (method := self.model.method(cls, callee.method)) is not None])
        return _union([self._returns(ref, depth) for ref in callee.functions])

    def _returns(self, ref: Ref, depth: int) -> Held:
        """What a function returns: its return annotation, else a constructor it returns."""
        function = self.model.function(ref)
        module = self.model.module(ref.module)
        if function is None or module is None or depth > MAX_DEPTH:
            return EMPTY
        if function.returns:
            held = self.annotation(module, function.returns)
            if held.known:
                return held
        for returned in function.returned:
            if returned.kind == "call" and returned.target:
                target = self.model.resolve(module, returned.target)
                if target is not None and target.kind == "class":
                    return Held(classes=(target,), how="returned constructor")
        return EMPTY

    def annotation(self, module: Module, annotation: str) -> Held:
        """The classes an annotation names, an element type when it is a container's, and
        whether it is a callable."""
        node = parse_expression(annotation)
        if isinstance(node, ast.Subscript) and last_name(node.value) in CONTAINERS:
            elements = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            inner = elements[-1] if elements else node.slice
            classes = tuple(self.model.annotation_classes(module, ast.unparse(inner)))
            return Held(classes=classes, element=True, how="annotation") if classes else EMPTY
        classes = tuple(self.model.annotation_classes(module, annotation))
        if classes:
            return Held(classes=classes, how="annotation")
        names = {last_name(part) for part in ast.walk(node)
                 if isinstance(part, (ast.Name, ast.Attribute))} if node is not None else set()
        if names & CALLABLE_ANNOTATIONS:
            return Held(callable_annotation=True, how="annotation")
        return EMPTY

    def _name(self, name: str, function: FunctionNode | None, depth: int) -> Held:
        if function is not None:
            facts = self.facts_of(function)
            param = facts.param(name) if facts is not None else None
            if param is not None:
                held = self.annotation(self.module, param.annotation) if param.annotation else EMPTY
                if held.known:
                    return held
                default = parse_expression(param.default) if param.default else None
                guessed = self._value(default, None, depth + 1) if default is not None else EMPTY
                if guessed.known:
                    return guessed
                return Held(parameter=name, callable_annotation=held.callable_annotation, how="parameter")
            bindings = self._bindings(function, name)
            if bindings:
                found: list[Held] = []
                for value, in_loop in bindings:
                    held = self._value(value, function, depth + 1)
                    if in_loop:
                        if held.element:
                            found.append(Held(classes=held.classes, how=held.how))
                    else:
                        found.append(held)
                return _union(found)
        return self._global(self.module, name, depth)

    def _global(self, module: Module, name: str, depth: int) -> Held:
        ref = self.model.resolve(module, name)
        return self._definition(ref, depth)

    def _definition(self, ref: Ref | None, depth: int) -> Held:
        if ref is None:
            return EMPTY
        if ref.kind == "class":
            return Held(class_objects=(ref,), how="class")
        if ref.kind == "function":
            return Held(functions=(ref,), how="function")
        assignment = self.model.assignment(ref)
        owner = self.model.module(ref.module)
        if assignment is None or owner is None or depth > MAX_DEPTH:
            return EMPTY
        if assignment.annotation:
            held = self.annotation(owner, assignment.annotation)
            if held.known:
                return held
        value = parse_expression(assignment.value)
        if value is None:
            return EMPTY
        other = self if owner is self.module else objects_of(self.model, owner.name)
        if other is None:
            return EMPTY
        return other._value(value, None, depth + 1)  # pylint: disable=protected-access

    def _attribute(self, node: ast.Attribute, function: FunctionNode | None, depth: int) -> Held:
        if isinstance(node.value, ast.Name) and node.value.id == "self":
            owner = self.enclosing_class(function)
            if owner is not None:
                return self._member(owner, node.attr, depth, "self")
        written = dotted_name(node)
        if written is not None:
            ref = self.model.resolve(self.module, written)
            if ref is not None:
                return self._definition(ref, depth)
            if self.wiring and ".state." in f".{written}.":
                return self._state(written.rsplit(".state.", 1)[-1])
        receiver = self._value(node.value, function, depth + 1)
        if receiver.is_instance:
            return _union([self._member(cls, node.attr, depth, receiver.how) for cls in receiver.classes])
        return EMPTY

    def _member(self, cls: Ref, name: str, depth: int, how: str) -> Held:
        """`obj.name` for an instance of `cls`: a bound method, or what the attribute holds."""
        if self.model.method(cls, name) is not None:
            return Held(classes=(cls,), method=name, how=how)
        for annotation, module in self._declared(cls, name):
            held = self.annotation(module, annotation)
            if held.element:  # `self._entries: dict[str, Entry]`: a container of instances
                return held
        classes = tuple(self.model.attribute_classes(cls, name))
        if classes:
            return Held(classes=classes, how="attribute")
        if self.wiring:
            return self._wired_attribute(cls, name, depth)
        return EMPTY

    def _declared(self, cls: Ref, name: str) -> list[tuple[str, Module]]:
        """The annotations a class (or a project base) gives the attribute `name`."""
        found = []
        for owner in (cls, *self.model.ancestors(cls)):
            facts = self.model.class_(owner) if isinstance(owner, Ref) else None
            module = self.model.module(owner.module) if facts is not None else None
            if facts is None or module is None:
                continue
            found += [(item.annotation, module) for item in (*facts.fields, *facts.attributes)
                      if item.name == name and item.annotation]
        return found

    # -- project-wide wiring (the audit and `init`) -------------------------------------------------

    def _wired_attribute(self, cls: Ref, name: str, depth: int) -> Held:
        """An attribute assigned from a constructor parameter (or a dataclass field): what the
        constructions of the class pass for it, anywhere in the project."""
        from flake8_phase12.model.queries import constructions  # the whole project: rarely

        facts = self.model.class_(cls)
        if facts is None or depth > MAX_DEPTH:
            return EMPTY
        parameter = next((attribute.value for attribute in facts.attributes
                          if attribute.name == name and attribute.value.isidentifier()), "")
        if not parameter and any(field.name == name for field in facts.fields):
            parameter = name
        if not parameter:
            return EMPTY
        init = self.model.method(cls, "__init__")
        params = self.model.function(init).params if init is not None else ()
        positional = [param.name for param in params if param.kind == "positional"][1:] if params \
            else [field.name for field in facts.fields]
        found: list[Held] = []
        for module, function, call in constructions(self.model, cls):
            argument = dict(call.keywords).get(parameter)
            if argument is None and parameter in positional and positional.index(parameter) < len(call.args):
                argument = call.args[positional.index(parameter)]
            objects = objects_of(self.model, module.name)
            node = parse_expression(argument) if argument else None
            if objects is None or node is None:
                continue
            held = objects.value_in(node, function)
            if held.known:
                found.append(held._replace(how=f"wired in {module.name}.{function.qualname}"))
        return _union(found)

    def value_in(self, node: ast.expr, function: Function) -> Held:
        """What an expression (from the facts, not this file's tree) holds inside `function`."""
        tree_function = next((item for item, name in self._functions.items() if name == function.qualname),
                             None)
        return self._value(node, tree_function, 1)

    def _state(self, name: str) -> Held:
        """`<app>.state.<name>`: what the project stores there (`app.state.x = services.x`)."""
        found: list[Held] = []
        for module in self.model.modules():
            for function in module.functions:
                for target, value in function.stores:
                    if target.endswith(f".state.{name}"):
                        objects = objects_of(self.model, module.name)
                        node = parse_expression(value)
                        if objects is not None and node is not None:
                            found.append(objects.value_in(node, function))
        return _union(found)

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


def objects_of(model: ProjectModel, name: str) -> FileObjects | None:
    """The reader of a module whose tree the model keeps (`ProjectModel.keep_tree`), with the
    project-wide wiring allowed; None for any other module."""
    if name not in model.readers:
        held = model.trees.get(name)
        module = model.module(name)
        if held is None or module is None:
            return None
        model.readers[name] = FileObjects(model, module, held[0], held[1], wiring=True)
    return model.readers[name]  # type: ignore[return-value]


def _bindings_by_name(function: FunctionNode) -> dict[str, list[tuple[ast.AST, bool]]]:
    """Each name -> the values assigned to it in the function's own body, in one walk (the
    checks ask about many names of a function); True for a loop target."""
    found: dict[str, list[tuple[ast.AST, bool]]] = {}
    stack: list[ast.AST] = list(function.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        if isinstance(node, ast.Assign):
            for name in dict.fromkeys(target.id for target in node.targets if isinstance(target, ast.Name)):
                found.setdefault(name, []).append((node.value, False))
        elif isinstance(node, (ast.AnnAssign, ast.NamedExpr)) and isinstance(node.target, ast.Name) \
                and node.value is not None:
            found.setdefault(node.target.id, []).append((node.value, False))
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)) \
                and isinstance(node.target, ast.Name):
            found.setdefault(node.target.id, []).append((node.iter, True))
        stack.extend(ast.iter_child_nodes(node))
    return found
