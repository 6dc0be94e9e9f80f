"""The static model of a governed project: its modules' facts, and names resolved across them.

`ProjectModel` answers the questions a check of one file cannot answer from that file: what a
name imported from elsewhere is (`resolve`), which classes a class derives from wherever they
are defined (`ancestors`, `derives_from`), what class an annotation, a type alias such as
`Annotated[Service, Depends(get)]` or an attribute assigned in `__init__` stands for
(`annotation_classes`, `attribute_classes`), what a function returns (`function`'s `returned`).
Modules are found through the project's source roots (`model.roots`) and their facts are read
lazily, one module at a time, from the disk store or by parsing the file, so a flake8 run on one
file pays only for the modules its questions touch. Project-wide questions (every subclass,
every construction of a class) read every module: they are for the audit, `init` and the pylint
plugin's end of run.

Nothing is guessed: a name the model cannot resolve gives None (or "unknown"), and the checks
stay silent about it.
"""

from __future__ import annotations

import ast
import builtins
import gc
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import cached_property, lru_cache
from pathlib import Path, PurePath

from flake8_phase12.analysis.context import path_excluded
from flake8_phase12.analysis.names import dotted_name, last_name, matches_any
from flake8_phase12.analysis.plugins import INTROSPECTION_CALLS
from flake8_phase12.model import store
from flake8_phase12.model.facts import Assignment, Call, Class, Function, Module, extract, text
from flake8_phase12.model.roots import (
    MAX_FILE_BYTES,
    module_file,
    module_name,
    package_folders,
    python_files,
    source_roots,
    top_level_names,
)
from flake8_phase12.model.trees import parse_file
from flake8_phase12.records import Record

MAX_DEPTH = 8
BUILTIN_NAMES = frozenset(dir(builtins))
STANDARD_LIBRARY = frozenset(getattr(sys, "stdlib_module_names", ()))
# Annotation wrappers whose arguments are the type (`Optional[T]`, `Annotated[T, ...]` first).
TYPE_WRAPPERS = frozenset({"Optional", "Union", "Final", "ClassVar", "Type", "type", "Awaitable"})
ANNOTATED = "Annotated"


class Ref(Record):
    """A definition somewhere in the project: `module` and `qualname` ('' for the module
    itself), and what it is: class, function, assignment or module."""

    module: str
    qualname: str
    kind: str

    @property
    def dotted(self) -> str:
        return f"{self.module}.{self.qualname}" if self.qualname else self.module

    @property
    def name(self) -> str:
        return self.qualname.rsplit(".", 1)[-1] if self.qualname else self.module.rsplit(".", 1)[-1]


class ProjectModel:
    """The modules of one project, read on demand; see the module docstring."""

    def __init__(self, root: Path, roots: list[Path] | None = None,
                 exclude: tuple[str, ...] = (), *, cache: bool = True) -> None:
        self.root = root.resolve()
        self.roots = roots if roots is not None else source_roots(self.root, stored=cache)
        self.exclude = exclude
        # False for a tree that lives only for this run (a git ref unpacked into a temporary
        # folder): its facts are not worth an entry in the disk store.
        self.cache = cache
        self._modules: dict[str, Module | None] = {}
        self._searched: set[str] = set()
        self._named_folders: set[Path] = set()
        # Parsed trees of modules, when the caller keeps them (`keep_tree`), and the readers of
        # what their expressions hold (`model.objects.objects_of`).
        self.trees: dict[str, tuple[ast.Module, dict[ast.AST, ast.AST]]] = {}
        self.readers: dict[str, object] = {}
        self._executed: dict[tuple[Ref, tuple[str, ...]], dict[str, tuple[str, ...]]] = {}
        self._everything: list[Module] | None = None
        # Per module's facts (by identity), its names: definitions and imports, looked up for
        # every name a check resolves.
        self._names: dict[int, tuple[Module, dict[str, Ref], dict[str, str]]] = {}

    # -- modules ------------------------------------------------------------------------------

    def module(self, name: str) -> Module | None:
        """The facts of the module imported as `name`, or None when the project has no such file."""
        if name not in self._modules:
            top = name.split(".")[0]
            if top not in self._tops and not self._found_a_root_for(top):
                self._modules[name] = None  # a library's (fastapi, typing): no file to look for
                return None
            path = module_file(name, self.roots)
            self._modules[name] = self._read(path, name) if path is not None else None
        return self._modules[name]

    @cached_property
    def _tops(self) -> set[str]:
        return top_level_names(self.roots)

    @cached_property
    def _folders(self) -> dict[str, Path]:
        return package_folders(self.root)

    def _add_root(self, directory: Path) -> None:
        self.roots.insert(len(self.roots) - 1, directory)
        self.__dict__.pop("_tops", None)  # listed again with the new root

    def _found_a_root_for(self, package: str) -> bool:
        """A folder of the project holding `package`, made a source root: the code imports the
        package by that name, so that folder is where its imports start (once per package)."""
        if package in self._searched or not package.isidentifier() or package in STANDARD_LIBRARY:
            return False
        self._searched.add(package)
        parent = self._folders.get(package)
        if parent is None or parent.resolve() in self.roots:
            return False
        self._add_root(parent.resolve())
        return True

    def name_of(self, path: str | Path) -> str:
        """The import name of a file of the project. A file inside regular packages is named
        from the folder above its outermost package, which becomes a source root."""
        file = Path(os.path.abspath(path))
        folder = file.parent
        if folder not in self._named_folders:  # once per folder: a cold build names every file
            self._named_folders.add(folder)
            top = folder
            while (top / "__init__.py").is_file() and top != self.root:
                top = top.parent
            if top != folder and top not in self.roots and self.root in (top, *top.parents):
                self._add_root(top)
        return module_name(file, self.roots)

    def facts_from_tree(self, tree: ast.Module, path: str | Path, name: str | None = None,
                        source: str = "") -> Module:
        """The facts of a file already parsed (flake8 and pylint hand us the tree), under its
        import name (`name` when the caller knows it better: `compat` names modules from the
        folders it compares). With the `source` the tree was parsed from, when that is what the
        file holds on disk (not an editor's unsaved buffer), the facts are the store's
        (`model.store`), as for any other module: a run over unchanged files extracts nothing."""
        file = Path(path).resolve()
        name = self.name_of(file) if name is None else name
        status = self._saved_as(file, source) if source and self.cache else None
        stored = self._stored(str(file), status, name) if status is not None else None
        if stored is not None:
            self._modules[name] = stored
            return stored
        try:
            facts = extract(tree, name, self._relative(file), file.name == "__init__.py")
        except RecursionError:  # machine-made nesting: the file's own facts stay unknown
            facts = Module(name, self._relative(file))
        else:
            if status is not None:
                store.save(str(file), status.st_size, status.st_mtime_ns, facts)
        self._modules[facts.name] = facts  # the file being checked, from its own tree
        return facts

    @staticmethod
    def _saved_as(file: Path, source: str) -> os.stat_result | None:
        """The file's status when it holds exactly `source` (read back and compared: an
        editor's buffer may differ from the file by unsaved edits), else None."""
        try:
            status = file.stat()
            if status.st_size > MAX_FILE_BYTES or status.st_size < len(source):
                return None
            with open(file, "rb") as handle:
                saved = handle.read(MAX_FILE_BYTES + 1)
            return status if saved.decode("utf-8") == source else None
        except (OSError, UnicodeDecodeError):
            return None

    def keep_tree(self, name: str, tree: ast.Module, parents: dict[ast.AST, ast.AST]) -> None:
        """Keep the parsed tree of a module, so that what its expressions hold can be read
        (`model.objects.objects_of`): `init` and the audit hold every tree, flake8 one."""
        self.trees[name] = (tree, parents)

    def _relative(self, file: Path) -> str:
        try:
            return file.relative_to(self.root).as_posix()
        except ValueError:
            return file.as_posix()

    def _read(self, path: Path, name: str) -> Module | None:
        try:
            status = path.stat()
        except OSError:
            return None
        absolute = os.path.abspath(path)
        stored = self._stored(absolute, status, name) if self.cache else None
        if stored is not None:
            return stored
        tree = parse_file(path) if status.st_size <= MAX_FILE_BYTES else None
        if tree is None:
            return None
        try:
            module = extract(tree, name, self._relative(path), path.name == "__init__.py")
        except RecursionError:
            return None
        if self.cache:
            store.save(absolute, status.st_size, status.st_mtime_ns, module)
        return module

    def _stored(self, absolute: str, status: os.stat_result, name: str) -> Module | None:
        """The store's facts for a file as it is now (`status`), under `name`, placed under this
        model's root: stored by a model of another root (flake8 run from a parent folder), they
        are the same facts."""
        cached = store.load(absolute, status.st_size, status.st_mtime_ns)
        if cached is None or cached.name != name:
            return None
        relative = self._relative(Path(absolute))
        return cached if cached.path == relative else cached._replace(path=relative)

    def modules(self) -> list[Module]:
        """Every module of the project (the whole tree below the root, outside `skip`)."""
        if self._everything is None:
            with _no_cycle_collection():
                self._everything = self._read_every_module()
        return self._everything

    def _read_every_module(self) -> list[Module]:
        found: dict[str, Module] = {}
        for path in python_files(self.root):
            if self.exclude and path_excluded(PurePath(self._relative(path)), self.exclude):
                continue
            name = self.name_of(path)
            if not name or name in found:
                continue
            module = self._modules.get(name) or self._read(path, name)
            if module is not None:
                self._modules[name] = module
                found[name] = module
        return list(found.values())

    # -- resolving names ------------------------------------------------------------------------

    def resolve(self, module: Module, name: str, depth: int = 0) -> Ref | None:
        """What the (possibly dotted) `name` refers to in `module`: a definition of the module,
        or what an import brings in, followed through re-exports."""
        if depth > MAX_DEPTH or not name:
            return None
        head, _, rest = name.partition(".")
        ref = self._local(module, head)
        if ref is None:
            imported = self.imported(module).get(head)
            ref = self.resolve_dotted(imported, depth + 1) if imported is not None else None
        if ref is None:
            for star in module.star_imports:
                target = self.module(star)
                if target is not None:
                    ref = self._local(target, head)
                    if ref is not None:
                        break
        if ref is None or not rest:
            return ref
        return self._member(ref, rest, depth + 1)

    def resolve_dotted(self, dotted: str, depth: int = 0) -> Ref | None:
        """An absolute dotted name (`pkg.mod.Class.method`) -> its definition."""
        if depth > MAX_DEPTH:
            return None
        parts = dotted.split(".")
        for end in range(len(parts), 0, -1):
            module = self.module(".".join(parts[:end]))
            if module is None:
                continue
            ref = Ref(module.name, "", "module")
            rest = ".".join(parts[end:])
            return self._member(ref, rest, depth + 1) if rest else ref
        return None

    def _local(self, module: Module, name: str) -> Ref | None:
        return self._module_names(module)[1].get(name)

    def imported(self, module: Module) -> dict[str, str]:
        """The module's imports: local name -> absolute dotted target."""
        return self._module_names(module)[2]

    def _module_names(self, module: Module) -> tuple[Module, dict[str, Ref], dict[str, str]]:
        """(the facts, their definitions by qualified name, their imports), built once per
        module's facts. A class shadows a function and a function an assignment of the same
        name, and the first of each kind counts."""
        entry = self._names.get(id(module))
        if entry is None or entry[0] is not module:  # the facts were replaced (a new tree)
            definitions: dict[str, Ref] = {}
            for cls in module.classes:
                definitions.setdefault(cls.qualname, Ref(module.name, cls.qualname, "class"))
            for function in module.functions:
                definitions.setdefault(function.qualname, Ref(module.name, function.qualname, "function"))
            for assignment in module.assignments:
                definitions.setdefault(assignment.name, Ref(module.name, assignment.name, "assignment"))
            entry = self._names[id(module)] = (module, definitions, dict(module.imports))
        return entry

    def _member(self, ref: Ref, rest: str, depth: int) -> Ref | None:
        """`rest` looked up inside `ref`: a module's name, a class's nested class or method."""
        if ref.kind == "module":
            module = self.module(ref.module)
            if module is None:
                return None
            return self.resolve(module, rest, depth)
        if ref.kind == "class":
            head, _, tail = rest.partition(".")
            module = self.module(ref.module)
            if module is None:
                return None
            found = self._local(module, f"{ref.qualname}.{head}")
            if found is None:
                for ancestor in self.ancestors(ref):
                    if isinstance(ancestor, Ref) and ancestor.kind == "class":
                        owner = self.module(ancestor.module)
                        found = self._local(owner, f"{ancestor.qualname}.{head}") if owner else None
                        if found is not None:
                            break
            if found is None or not tail:
                return found
            return self._member(found, tail, depth + 1)
        return None

    def _resolve_text(self, module: Module, expression: str) -> Ref | None:
        """A dotted expression as written in `module` (`models.Outcome`, `Outcome`)."""
        expression = expression.strip().strip("\"'")
        return self.resolve(module, expression) if _is_dotted(expression) else None

    # -- looking definitions up -----------------------------------------------------------------

    def class_(self, ref: Ref | None) -> Class | None:
        module = self.module(ref.module) if ref is not None and ref.kind == "class" else None
        return next((cls for cls in module.classes if cls.qualname == ref.qualname), None) if module else None

    def function(self, ref: Ref | None) -> Function | None:
        module = self.module(ref.module) if ref is not None and ref.kind == "function" else None
        return next((item for item in module.functions if item.qualname == ref.qualname), None) \
            if module else None

    def assignment(self, ref: Ref | None) -> Assignment | None:
        module = self.module(ref.module) if ref is not None and ref.kind == "assignment" else None
        return next((item for item in module.assignments if item.name == ref.qualname), None) \
            if module else None

    def method(self, cls: Ref, name: str) -> Ref | None:
        """`cls.name` as a function, looked up along the class's ancestors."""
        for owner in (cls, *self.ancestors(cls)):
            if not isinstance(owner, Ref) or owner.kind != "class":
                continue
            module = self.module(owner.module)
            qualname = f"{owner.qualname}.{name}"
            if module is not None and any(item.qualname == qualname for item in module.functions):
                return Ref(owner.module, f"{owner.qualname}.{name}", "function")
        return None

    def executed_parameters(self, ref: Ref, methods: tuple[str, ...], depth: int = 0
                            ) -> dict[str, tuple[str, ...]]:
        """The parameters of a function whose execution method (one of `methods`) it calls or
        hands on (`plugin.run(x)`, `to_thread(plugin.run, x)`, `getattr(plugin, "run")`), or
        passes to another project function that does, each with the calls that lead to the
        execution (`("execute(...)", "p.run(...)")`): the function executes whatever plugin it
        is given there. Looking at a method (`callable(p.run)`) is not executing it."""
        key = (ref, methods)
        if key in self._executed:
            return self._executed[key]
        self._executed[key] = {}  # a recursive helper executes nothing through itself
        function = self.function(ref)
        module = self.module(ref.module)
        if function is None or module is None or depth > MAX_DEPTH:
            return {}
        names = {param.name for param in function.params}
        bound = {f"{name}.{method}" for name in names for method in methods}
        executed: dict[str, tuple[str, ...]] = {}
        for call in function.calls:
            if matches_any(call.callee, INTROSPECTION_CALLS):
                continue
            if call.callee in bound:
                executed.setdefault(call.callee.split(".", 1)[0], (f"{call.callee}(...)",))
            for argument in call.args:
                if argument in bound:
                    executed.setdefault(argument.split(".", 1)[0], (f"{call.callee}(...)",))
            if call.callee == "getattr" and len(call.args) >= 2 and call.args[0] in names:
                name = call.args[1].strip("\"'")
                if name in methods or not call.args[1].startswith(("'", '"')):
                    executed.setdefault(call.args[0], (f"getattr({call.args[0]}, {call.args[1]})",))
            for name, steps in self._passed_to_executing(module, ref, call, names, methods, depth).items():
                executed.setdefault(name, steps)
        self._executed[key] = executed
        return executed

    def _passed_to_executing(self, module: Module, caller: Ref, call: Call, names: set[str],
                             methods: tuple[str, ...], depth: int) -> dict[str, tuple[str, ...]]:
        """Our parameters that `call` hands to a project function executing them (a method of
        the caller's own class too: `self._run(plugin)`)."""
        if not any(argument in names for argument in call.args) and \
                not any(value in names for _, value in call.keywords):
            return {}
        owner = caller.qualname.rpartition(".")[0]
        if call.callee.startswith("self.") and owner and self._local(module, owner) is not None:
            target = self.method(Ref(module.name, owner, "class"), call.callee[len("self."):])
        else:
            target = self.resolve(module, call.callee) if _is_dotted(call.callee) else None
        if target is None or target.kind != "function":
            return {}
        executed = self.executed_parameters(target, methods, depth + 1)
        callee = self.function(target)
        if not executed or callee is None:
            return {}
        positional = [param.name for param in callee.params if param.kind == "positional"]
        if positional and positional[0] in ("self", "cls") and "." in call.callee:
            positional = positional[1:]
        passed = list(zip(positional, call.args)) + list(call.keywords)
        return {argument: (f"{call.callee}(...)", *executed[parameter])
                for parameter, argument in passed if parameter in executed and argument in names}

    # -- classes ----------------------------------------------------------------------------------

    def bases(self, ref: Ref) -> list[Ref | str]:
        """The class's bases, each resolved, or its text when the project does not define it
        (`ABC`, `BaseModel`, `Protocol`)."""
        cls = self.class_(ref)
        module = self.module(ref.module)
        if cls is None or module is None:
            return []
        found: list[Ref | str] = []
        for base in cls.bases:
            written = base.split("[", 1)[0]
            resolved = self._resolve_text(module, written)
            if resolved is not None and resolved.kind == "assignment":
                resolved = self._alias_class(resolved)
            found.append(resolved if resolved is not None and resolved.kind == "class" else
                         self._external(module, written, resolved))
        return found

    def _external(self, module: Module, written: str, resolved: Ref | None) -> str:
        """A base the project does not define: its absolute dotted import when imported, its
        name when a builtin, else "?" (computed, or defined where the model cannot read)."""
        head, _, rest = written.partition(".")
        target = self.imported(module).get(head)
        if resolved is None and target is not None and self.module(target.split(".")[0]) is None:
            return f"{target}.{rest}" if rest else target
        if resolved is None and target is None and head in BUILTIN_NAMES:
            return written
        return "?"

    def ancestors(self, ref: Ref) -> list[Ref | str]:
        """Every base, transitively, nearest first; external bases as dotted text."""
        return list(_ancestors(self, ref))

    def derives_from(self, ref: Ref, names: Iterable[str], itself: bool = False) -> bool | None:
        """Whether the class (with `itself`: or the class itself) has an ancestor named one of
        `names`: a plain name (`Base`, any class so named) or a dotted one (`pkg.base.Base`,
        that class only). True, False, or None when an ancestor could not be read."""
        dotted = {name for name in names if "." in name}
        plain = {name for name in names if name and "." not in name}
        unknown = False
        for ancestor in ([ref] if itself else []) + self.ancestors(ref):
            if isinstance(ancestor, Ref):
                if ancestor.dotted in dotted or ancestor.name in plain:
                    return True
            elif ancestor == "?":
                unknown = True
            elif ancestor in dotted or ancestor.rsplit(".", 1)[-1] in plain:
                return True
        return None if unknown else False

    def _alias_class(self, ref: Ref, depth: int = 0) -> Ref | None:
        """A module-level alias of a class (`Base = _Base`)."""
        assignment = self.assignment(ref)
        module = self.module(ref.module)
        if assignment is None or module is None or depth > MAX_DEPTH:
            return None
        target = self._resolve_text(module, assignment.value)
        if target is not None and target.kind == "assignment":
            return self._alias_class(target, depth + 1)
        return target if target is not None and target.kind == "class" else None

    # -- what expressions hold -------------------------------------------------------------------

    def annotation_classes(self, module: Module, annotation: str) -> list[Ref]:
        """The project classes an annotation names: `Optional[Svc]`, `Svc | None`, `"Svc"`,
        `Annotated[Svc, Depends(get)]` and aliases of these defined anywhere."""
        return [ref for ref, _ in self.annotation_parts(module, annotation)]

    def annotation_parts(self, module: Module, annotation: str, depth: int = 0
                         ) -> list[tuple[Ref, tuple[Call, ...]]]:
        """(class, the `Depends(...)`-like calls of an `Annotated` around it) for each project
        class an annotation names."""
        node = parse_expression(annotation)
        if node is None or depth > MAX_DEPTH:
            return []
        return list(self._annotation_parts(module, node, (), depth))

    def _annotation_parts(self, module: Module, node: ast.expr, extras: tuple[Call, ...], depth: int
                          ) -> Iterator[tuple[Ref, tuple[Call, ...]]]:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            inner = parse_expression(node.value)
            if inner is not None:
                yield from self._annotation_parts(module, inner, extras, depth + 1)
            return
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            yield from self._annotation_parts(module, node.left, extras, depth)
            yield from self._annotation_parts(module, node.right, extras, depth)
            return
        if isinstance(node, ast.Subscript):
            wrapper = last_name(node.value) or ""
            elements = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            if wrapper == ANNOTATED and elements:
                calls = tuple(_call_fact(element) for element in elements[1:]
                              if isinstance(element, ast.Call))
                yield from self._annotation_parts(module, elements[0], extras + calls, depth)
            elif wrapper in TYPE_WRAPPERS:
                for element in elements:
                    yield from self._annotation_parts(module, element, extras, depth)
            return
        written = dotted_name(node)
        if written is None or depth > MAX_DEPTH:
            return
        ref = self.resolve(module, written)
        if ref is not None and ref.kind == "assignment":
            assignment = self.assignment(ref)
            owner = self.module(ref.module)
            if assignment is not None and owner is not None:
                inner = parse_expression(assignment.value)
                if inner is not None:
                    yield from self._annotation_parts(owner, inner, extras, depth + 1)
            return
        if ref is not None and ref.kind == "class":
            yield ref, extras

    def attribute_classes(self, cls: Ref, attribute: str) -> list[Ref]:
        """The project classes `self.<attribute>` may hold in the class (or its ancestors): from
        its annotation, the constructor parameter it is assigned from and that parameter's
        annotation, the class constructed in place (`param or Default()`), a dataclass field."""
        found: list[Ref] = []
        for owner in (cls, *self.ancestors(cls)):
            if not isinstance(owner, Ref):
                continue
            facts = self.class_(owner)
            module = self.module(owner.module)
            if facts is None or module is None:
                continue
            for field in facts.fields:
                if field.name == attribute:
                    found += self.annotation_classes(module, field.annotation)
            for assigned in facts.attributes:
                if assigned.name != attribute:
                    continue
                if assigned.annotation:
                    found += self.annotation_classes(module, assigned.annotation)
                method = self.function(Ref(owner.module, f"{owner.qualname}.{assigned.method}", "function"))
                found += self._expression_classes(module, assigned.value, method)
        return list(dict.fromkeys(found))

    def _expression_classes(self, module: Module, value: str, function: Function | None = None) -> list[Ref]:
        """The project classes an expression may evaluate to: a constructor call, a parameter of
        `function` (through its annotation), `a or B()`, `a if c else B()`."""
        node = parse_expression(value)
        return list(dict.fromkeys(self._value_classes(module, node, function))) if node is not None else []

    def _value_classes(self, module: Module, node: ast.expr, function: Function | None) -> Iterator[Ref]:
        if isinstance(node, ast.BoolOp):
            for value in node.values:
                yield from self._value_classes(module, value, function)
        elif isinstance(node, ast.IfExp):
            yield from self._value_classes(module, node.body, function)
            yield from self._value_classes(module, node.orelse, function)
        elif isinstance(node, ast.Await):
            yield from self._value_classes(module, node.value, function)
        elif isinstance(node, ast.Call):
            callee = dotted_name(node.func)
            ref = self.resolve(module, callee) if callee else None
            if ref is not None and ref.kind == "class":
                yield ref
            elif ref is not None and ref.kind == "function":
                facts = self.function(ref)
                owner = self.module(ref.module)
                if facts is not None and owner is not None and facts.returns:
                    yield from self.annotation_classes(owner, facts.returns)
        elif isinstance(node, ast.Name) and function is not None:
            param = function.param(node.id)
            if param is not None and param.annotation:
                yield from self.annotation_classes(module, param.annotation)
            if param is not None and param.default:
                yield from self._expression_classes(module, param.default, None)


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """The cyclic garbage collector paused while every module is read: parsing and extracting
    allocate millions of objects, none in a cycle (trees and facts are freed by reference
    counting), so its passes over the growing heap of facts only cost time (about a seventh of
    a cold build). The caller's setting is restored."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _ancestors(model: ProjectModel, ref: Ref) -> Iterator[Ref | str]:
    seen = {ref}
    pending: list[Ref | str] = [ref]
    depth = 0
    while pending and depth < 64:
        depth += 1
        current = pending.pop(0)
        if not isinstance(current, Ref):
            continue
        for base in model.bases(current):
            if base in seen:
                continue
            seen.add(base)
            yield base
            pending.append(base)


@lru_cache(maxsize=2048)
def parse_expression(source: str) -> ast.expr | None:
    """An expression kept as text in the facts, parsed again (once per distinct text)."""
    if not source:
        return None
    try:
        return ast.parse(source.strip(), mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _is_dotted(written: str) -> bool:
    return bool(written) and all(part.isidentifier() for part in written.split("."))


def _call_fact(node: ast.Call) -> Call:
    return Call(text(node.func), tuple(text(argument) for argument in node.args),
                tuple((keyword.arg or "**", text(keyword.value)) for keyword in node.keywords),
                node.lineno)


@lru_cache(maxsize=16)
def project_model(root: str, exclude: tuple[str, ...] = ()) -> ProjectModel:
    """One model per project root and process (flake8 checks many files of one project)."""
    return ProjectModel(Path(root), exclude=exclude)
