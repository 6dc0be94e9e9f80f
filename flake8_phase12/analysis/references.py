"""Where a module depends on a layer: its imports, the names they bind, and held attributes.

A module references a layer when it imports the layer's module (absolute or relative, the module
itself or a name from it), imports one of the layer's names from anywhere (`ToolRunner` through a
package re-export), uses a name bound by such an import, or touches an attribute that holds the
layer (`self._runner`, `self._plugin_mgmt._runner`).

Imports under `if TYPE_CHECKING:` and names used only in annotations are not references: they
never run, so they can neither execute nor call anything. Whatever the module stores and calls
is still found through the attributes and names it uses at run time.

An attribute is judged by what the module assigns to it: `self._runner = ToolRunner(...)` (or a
parameter annotated `ToolRunner`) holds the runner whatever its name; `self.runner = JobRunner()`
or `self._jobs = {}` holds something else even though the name is a configured one; an
attribute the module never assigns recognisably is judged by its name.

Everything is collected in one pass over the tree (`module_facts`), shared by every check that
asks about the same file.
"""

from __future__ import annotations

import ast
import importlib.util
import sys
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import PurePath

from flake8_phase12.analysis.context import FileContext
from flake8_phase12.analysis.layers import Layer
from flake8_phase12.analysis.names import annotation_names, dotted_name, last_name
from flake8_phase12.records import Record

# Calls whose result is a plain container, never a service or the runner.
CONTAINER_FACTORIES = frozenset({
    "dict", "list", "set", "frozenset", "tuple", "defaultdict", "OrderedDict", "deque",
    "Counter", "field", "Lock", "RLock", "Event", "Queue", "SimpleQueue", "Semaphore",
})
SELF_NAMES = frozenset({"self", "cls"})
LIBRARY_DIRECTORIES = frozenset({"site-packages", "dist-packages"})
FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


class ImportedName(Record):
    """One name bound by an import."""

    statement: ast.Import | ast.ImportFrom
    local: str
    # The dotted module imported, and for `from m import n` the name `n` ('' otherwise).
    module: str
    name: str = ""
    # `import a.b.c` binds `a`: uses are recognised by their full dotted prefix.
    binds_root_only: bool = False
    relative: bool = False

    @property
    def target(self) -> str:
        return f"{self.module}.{self.name}" if self.name and self.module else self.name or self.module


class Assignment(Record):
    """What one assignment to `self.<attribute>` (or a class-level field) says about its value."""

    names: frozenset[str] = frozenset()
    # The class constructed (`JobRunner()`), when the value is a construction.
    constructed: str = ""
    # A literal container or constant: certainly not a layer object.
    literal: bool = False
    # Assigned (in one alternative) from a parameter of the method: the object was handed in.
    injected: bool = False


class ModuleFacts:
    """What one pass over a module finds: imports, aliases, names, attributes, bindings."""
    def __init__(self) -> None:
        # Imports that run (not under `if TYPE_CHECKING:`).
        self.imports: list[ImportedName] = []
        # Imported local name -> the name it imports (`Runner` -> `ToolRunner`), all imports.
        self.aliases: dict[str, str] = {}
        self.assignments: dict[str, list[Assignment]] = {}
        self.parents: dict[ast.AST, ast.AST] = {}
        # Names loaded and attributes touched outside annotations.
        self.names: list[ast.Name] = []
        self.attributes: list[ast.Attribute] = []
        # Plain-name bindings (`x = ...`, `x: T = ...`, `with ... as x`) and every function.
        self.bindings: list[tuple[str, ast.AST]] = []
        self.functions: list[ast.FunctionDef | ast.AsyncFunctionDef] = []

    def called(self, node: ast.AST) -> ast.Call | None:
        """The call that `node` is the function of (`node(...)`), or None."""
        parent = self.parents.get(node)
        return parent if isinstance(parent, ast.Call) and parent.func is node else None

    def holds(self, attribute: str, layer: Layer) -> bool | None:
        """True/False when the module shows what `self.<attribute>` holds, None when unknown."""
        found = self.assignments.get(attribute, ())
        if any(assignment.names & set(layer.names) for assignment in found):
            return True
        if any(assignment.literal or (assignment.constructed
                                      and assignment.constructed not in layer.names)
               for assignment in found):
            return False
        return None


class Reference(Record):
    """A place where the module depends on `layer`; `text` is what the source says there."""

    node: ast.AST
    text: str
    layer: Layer


# A one-entry cache keyed by the tree: the checks of one file share the facts.
_LAST_FACTS: tuple[ast.AST, str, ModuleFacts] | None = None


def module_facts(ctx: FileContext) -> ModuleFacts:
    """The facts of this file, computed once even when several checks ask."""
    global _LAST_FACTS  # pylint: disable=global-statement
    cached = _LAST_FACTS
    if cached is not None and cached[0] is ctx.tree and cached[1] == ctx.module_path:
        return cached[2]
    facts = _Scanner(_package_parts(ctx)).scan(ctx.tree)
    _LAST_FACTS = (ctx.tree, ctx.module_path, facts)
    return facts


def references(ctx: FileContext, layers: Iterable[Layer]) -> list[Reference]:
    """Every reference to one of `layers`, at most one per line, in source order."""
    facts = module_facts(ctx)
    layers = tuple(layers)
    found: dict[int, Reference] = {}
    for reference in _all_references(facts, layers):
        line = getattr(reference.node, "lineno", 1)
        current = found.get(line)
        if current is None or _position(reference.node) < _position(current.node):
            found[line] = reference
    return [found[line] for line in sorted(found)]


def layer_holders(ctx: FileContext, layer: Layer) -> frozenset[str]:
    """Attributes of `self` that this module shows hold `layer`, whatever their names."""
    facts = module_facts(ctx)
    return frozenset(attribute for attribute in facts.assignments
                     if facts.holds(attribute, layer) is True)


def delegate_attribute(ctx: FileContext, layer: Layer, configured: tuple[str, ...],
                       fallback: str) -> str:
    """The attribute a fix should name to reach `layer`: the one this module shows holding it
    (a configured name first), else a configured one it assigns, else the first configured.
    So the hint reads `self._jobs.submit(...)` in a service that keeps its delegate in `_jobs`."""
    facts = module_facts(ctx)
    holders = layer_holders(ctx, layer)
    assigned = [attribute for attribute in configured if attribute in facts.assignments
                and facts.holds(attribute, layer) is not False]
    for candidates in ([name for name in configured if name in holders], sorted(holders),
                       assigned, list(configured)):
        if candidates:
            return candidates[0]
    return fallback


def import_layer(imported: ImportedName, layers: tuple[Layer, ...]) -> Layer | None:
    """The layer an import brings in, if it is one of `layers` and an import of this project."""
    if not is_project_import(imported):
        return None
    for layer in layers:
        if layer.contains(imported.module) or (imported.name and layer.contains(imported.target)):
            return layer
        if imported.name and imported.name in layer.names:
            return layer
    return None


def is_project_import(imported: ImportedName) -> bool:
    """Relative, or from a package that is neither the standard library nor installed.

    Layer patterns match dotted suffixes, so `api.*` would also match a library's
    `tomlkit.api` or `kubernetes.client.api`: a module of an installed distribution (found in
    `site-packages`) never belongs to this project's layers, nor does the standard library.
    """
    if imported.relative:
        return True
    top = imported.module.split(".", 1)[0]
    return bool(top) and top not in sys.stdlib_module_names and not is_installed_library(top)


@lru_cache(maxsize=256)
def is_installed_library(top: str) -> bool:
    """Whether the top-level package `top` is installed in `site-packages` (a library)."""
    try:
        spec = importlib.util.find_spec(top)
    except (ImportError, ValueError):
        return False
    if spec is None:
        return False
    locations = [spec.origin or "", *(spec.submodule_search_locations or ())]
    return any(part in LIBRARY_DIRECTORIES for location in locations
               for part in PurePath(location).parts)


def usage_text(facts: ModuleFacts, node: ast.AST) -> str:
    """The use as written, with the call it makes: `ToolRunner(...)`, `ToolRunner.run(...)`."""
    current = node
    parent = facts.parents.get(current)
    while isinstance(parent, ast.Attribute) and parent.value is current:
        current, parent = parent, facts.parents.get(parent)
    text = ast.unparse(current)
    if isinstance(parent, ast.Call) and parent.func is current:
        text += "(...)"
    return short(text)


def import_text(imported: ImportedName) -> str:
    """The import as written, with only the name that matters: a long module path stays
    whole, `from server.app.services.job_management_service import JobManagementService`,
    rather than being cut before the name."""
    statement = imported.statement
    if isinstance(statement, ast.ImportFrom):
        alias = next((alias for alias in statement.names
                      if (alias.asname or alias.name) == imported.local), None)
        if alias is not None:
            written = ast.ImportFrom(module=statement.module, names=[alias], level=statement.level)
            return short(ast.unparse(written), width=120)
    return short(ast.unparse(statement), width=120)


def short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 3] + "..."


def _all_references(facts: ModuleFacts, layers: tuple[Layer, ...]) -> Iterator[Reference]:
    locals_to_layer: dict[str, Layer] = {}
    prefixes: list[tuple[str, Layer]] = []
    for imported in facts.imports:
        layer = import_layer(imported, layers)
        if layer is None:
            continue
        yield Reference(imported.statement, import_text(imported), layer)
        if imported.binds_root_only:
            prefixes.append((imported.module, layer))
        else:
            locals_to_layer[imported.local] = layer
    for name in facts.names:
        if name.id in locals_to_layer:
            yield Reference(name, usage_text(facts, name), locals_to_layer[name.id])
    for attribute in facts.attributes:
        reference = _attribute_reference(facts, attribute, layers, prefixes)
        if reference is not None:
            yield reference


def _attribute_reference(facts: ModuleFacts, node: ast.Attribute, layers: tuple[Layer, ...],
                         prefixes: list[tuple[str, Layer]]) -> Reference | None:
    if prefixes and isinstance(node.ctx, ast.Load):
        dotted = dotted_name(node)
        for module, layer in prefixes:
            if dotted is not None and (dotted == module or dotted.startswith(module + ".")):
                return Reference(node, short(dotted), layer)
    for layer in layers:
        # A class of the layer reached through a module or package: `services.ToolRunner`.
        if node.attr[:1].isupper() and node.attr in layer.names and isinstance(node.ctx, ast.Load):
            return Reference(node, usage_text(facts, node), layer)
        if _holds_layer(facts, node, layer):
            return Reference(node, usage_text(facts, node), layer)
    return None


def _holds_layer(facts: ModuleFacts, node: ast.Attribute, layer: Layer) -> bool:
    """`self.<attribute>` that holds `layer` by what is assigned to it, or else by its name."""
    receiver = node.value
    if isinstance(receiver, ast.Name) and receiver.id in SELF_NAMES:
        verdict = facts.holds(node.attr, layer)
        return verdict if verdict is not None else node.attr in layer.attributes
    # Reaching through another object (`self._plugin_mgmt._runner`, `service._job_mgmt`): only
    # private names are specific enough to be sure which layer they mean.
    return node.attr in layer.attributes and node.attr.startswith("_") \
        and dotted_name(receiver) is not None


class _Scanner:
    """The single pass behind `module_facts`."""

    def __init__(self, package: list[str]) -> None:
        self.package = package
        self.facts = ModuleFacts()
        # (attribute, value, annotation, parameter annotations): judged once aliases are known.
        self.pending: list[tuple[str, ast.AST | None, ast.AST | None, dict[str, set[str]]]] = []

    def scan(self, tree: ast.Module) -> ModuleFacts:
        facts = self.facts
        parents = facts.parents
        # (node, parameters of the enclosing function, in an annotation, only for type checkers)
        stack: list[tuple[ast.AST, dict[str, set[str]], bool, bool]] = [(tree, {}, False, False)]
        while stack:
            node, parameters, annotation, type_only = stack.pop()
            if not annotation:
                self._visit(node, parameters, type_only)
            if isinstance(node, FUNCTIONS):
                parameters = _parameter_annotations(node)
            # Fields read directly, not through `ast.iter_fields`: this loop visits every node.
            for name in node._fields:
                value = getattr(node, name, None)
                children = value if isinstance(value, list) else (value,)
                in_annotation = annotation or _is_annotation_field(node, name)
                for_type_checkers = type_only or (name == "body" and isinstance(node, ast.If)
                                                  and _is_type_checking(node.test))
                for child in children:
                    if isinstance(child, ast.AST):
                        parents[child] = node
                        stack.append((child, parameters, in_annotation, for_type_checkers))
        for attribute, value, annotation, parameters in self.pending:
            facts.assignments.setdefault(attribute, []).append(
                _assignment(value, parameters, facts.aliases, annotation))
        return facts

    def _visit(self, node: ast.AST, parameters: dict[str, set[str]], type_only: bool) -> None:
        facts = self.facts
        if isinstance(node, ast.Name):
            if isinstance(node.ctx, ast.Load):
                facts.names.append(node)
        elif isinstance(node, ast.Attribute):
            facts.attributes.append(node)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            imported = list(_plain_import(node) if isinstance(node, ast.Import)
                            else _from_import(node, self.package))
            for item in imported:
                if not item.binds_root_only:
                    facts.aliases[item.local] = item.name or item.module.rsplit(".", 1)[-1]
            if not type_only:
                facts.imports.extend(imported)
        elif isinstance(node, FUNCTIONS):
            facts.functions.append(node)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if _is_self_attribute(target):
                    self.pending.append((target.attr, node.value, None, parameters))
                elif isinstance(target, ast.Name):
                    facts.bindings.append((target.id, node.value))
        elif isinstance(node, ast.withitem):
            if isinstance(node.optional_vars, ast.Name):
                facts.bindings.append((node.optional_vars.id, node.context_expr))
        elif isinstance(node, ast.AnnAssign):
            if isinstance(node.target, ast.Name) and node.value is not None:
                facts.bindings.append((node.target.id, node.value))
            if _is_self_attribute(node.target):
                self.pending.append((node.target.attr, node.value, node.annotation, parameters))
            elif isinstance(node.target, ast.Name) and isinstance(self.facts.parents.get(node),
                                                                  ast.ClassDef):
                # A class-level field: `_runner: ToolRunner` in a dataclass.
                self.pending.append((node.target.id, node.value, node.annotation, {}))


def _is_annotation_field(node: ast.AST, name: str) -> bool:
    return (name == "annotation" and isinstance(node, (ast.arg, ast.AnnAssign))) or (
        name == "returns" and isinstance(node, FUNCTIONS))


def _plain_import(node: ast.Import) -> Iterator[ImportedName]:
    for alias in node.names:
        if alias.asname:
            yield ImportedName(node, alias.asname, alias.name)
        elif "." in alias.name:
            yield ImportedName(node, alias.name.split(".")[0], alias.name, binds_root_only=True)
        else:
            yield ImportedName(node, alias.name, alias.name)


def _from_import(node: ast.ImportFrom, package: list[str]) -> Iterator[ImportedName]:
    module = node.module or ""
    if node.level:
        up = node.level - 1
        base = package[:len(package) - up] if up <= len(package) else []
        module = ".".join([*base, *([module] if module else [])])
    for alias in node.names:
        if alias.name != "*":
            yield ImportedName(node, alias.asname or alias.name, module, alias.name,
                               relative=bool(node.level))


def _package_parts(ctx: FileContext) -> list[str]:
    """The package a relative import of this file starts from."""
    parts = ctx.module_path.split(".") if ctx.module_path else []
    if PurePath(ctx.path).stem != "__init__":
        parts = parts[:-1]
    return parts


def _is_type_checking(test: ast.AST) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _is_self_attribute(node: ast.AST) -> bool:
    return (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
            and node.value.id in SELF_NAMES)


def _parameter_annotations(function: ast.FunctionDef | ast.AsyncFunctionDef) -> dict[str, set[str]]:
    """Every parameter with the names of its annotation (empty when it has none)."""
    arguments = function.args
    return {arg.arg: annotation_names(arg.annotation)
            for arg in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)}


def _assignment(value: ast.AST | None, parameters: dict[str, set[str]], aliases: dict[str, str],
                annotation: ast.AST | None = None) -> Assignment:
    names: set[str] = set(annotation_names(annotation))
    constructed = ""
    literal = injected = False
    for part in _alternatives(value):
        if isinstance(part, ast.Call):
            called = last_name(part.func) or ""
            names.add(called)
            if called[:1].isupper() or called in CONTAINER_FACTORIES:
                constructed = constructed or called
        elif isinstance(part, ast.Name):
            names.update(parameters.get(part.id, ()))
            names.add(part.id)
            injected = injected or part.id in parameters
        elif isinstance(part, ast.Attribute):
            names.add(part.attr)
        elif _is_literal(part):
            literal = True
    names.discard("")
    names.update(aliases[name] for name in list(names) if name in aliases)
    return Assignment(frozenset(names), aliases.get(constructed, constructed), literal, injected)


def _alternatives(value: ast.AST | None) -> Iterator[ast.AST]:
    """The values an expression may evaluate to: both sides of `a or b`, `x if c else y`."""
    if value is None:
        return
    if isinstance(value, ast.Await):
        yield from _alternatives(value.value)
    elif isinstance(value, ast.BoolOp):
        for operand in value.values:
            yield from _alternatives(operand)
    elif isinstance(value, ast.IfExp):
        yield from _alternatives(value.body)
        yield from _alternatives(value.orelse)
    else:
        yield value


def _is_literal(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return node.value is not None
    return isinstance(node, (ast.Dict, ast.List, ast.Set, ast.Tuple, ast.ListComp, ast.SetComp,
                             ast.DictComp, ast.GeneratorExp, ast.JoinedStr))


def _position(node: ast.AST) -> tuple[int, int]:
    return getattr(node, "lineno", 1), getattr(node, "col_offset", 0)
