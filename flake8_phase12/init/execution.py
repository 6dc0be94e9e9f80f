"""What executes plugins: the plugin base class, its execution method and the runner.

A plugin base class is a project class whose subclasses (or, for a `Protocol`, whose structural
implementations) implement methods it only declares (abstract, `...`, `pass`, `raise
NotImplementedError`) or overrides. Its execution method is the interface method that code
outside the plugins calls on plugin objects, preferably inside a `try` with a broad handler.
The runner is the function that makes that call governed (inside `try ... except Exception`),
or else the one the rest of the code calls.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from flake8_phase12.analysis.names import dotted_name, is_declaration, is_protocol_class, last_name
from flake8_phase12.analysis.plugins import PluginNames, is_introspection, method_reference
from flake8_phase12.config.model import Config
from flake8_phase12.init.inference import ClassInfo, FunctionNode, Types
from flake8_phase12.init.project import Project, SourceModule
from flake8_phase12.model.objects import objects_of
from flake8_phase12.model.project import Ref

PLUGIN_PACKAGE_WORDS = ("plugin", "tool", "extension", "analyzer", "analyser", "handler", "addon")
EXECUTION_WORDS = ("run", "execute", "invoke", "call", "process", "apply", "analy", "handle",
                   "perform", "predict", "infer", "transform", "evaluate")
DESCRIPTIVE_WORDS = ("describe", "name", "version", "info", "schema", "metadata", "close", "setup",
                     "teardown", "health", "validate", "config", "register", "load", "init", "help",
                     "is_", "has_", "get", "set_", "to_", "as_", "from_")
BROAD_EXCEPTIONS = frozenset({"Exception", "BaseException"})
BASE_AFFIXES = re.compile(r"^(?:Base|Abstract|I(?=[A-Z]))|(?:Base|ABC|Interface|Protocol|Abstract)$")
ALWAYS_SKIPPED_RECEIVERS = frozenset({"self", "cls", "super"})
MAX_FALLBACK_METHODS = 8


@dataclass(eq=False)
class PluginInterface:
    """The plugin base class, its implementations and the methods that execute a plugin."""
    base: ClassInfo
    implementations: list[ClassInfo]
    methods: tuple[str, ...]
    abstract: bool

    @property
    def in_plugin_package(self) -> int:
        return sum(1 for info in self.implementations
                   if any(word in part for part in info.module.name.lower().split(".")[:-1]
                          for word in PLUGIN_PACKAGE_WORDS))

    @property
    def score(self) -> int:
        return (len(self.implementations) + 2 * self.in_plugin_package + 2 * self.abstract
                + 2 * any(word in self.base.name.lower() for word in PLUGIN_PACKAGE_WORDS))


@dataclass(frozen=True, eq=False)
class ExecutionSite:
    """`receiver.method(...)` on a plugin object, in `function` of `module`."""

    module: SourceModule
    function: FunctionNode
    owner: ClassInfo | None
    node: ast.AST
    method: str
    receiver: ast.AST
    strong: bool
    guard: ast.Try | None

    @property
    def governed(self) -> bool:
        """Inside the body of a `try` with an `except Exception` (or broader) handler."""
        return self.guard is not None

    @property
    def location(self) -> str:
        return self.module.location(self.node)


@dataclass(eq=False)
class RunnerCandidate:
    """A function that executes plugins, ranked as a candidate for the ToolRunner."""
    module: SourceModule
    function: FunctionNode
    owner: ClassInfo | None
    sites: list[ExecutionSite]
    callers: int = 0

    @property
    def label(self) -> str:
        return f"{self.owner.name}.{self.function.name}" if self.owner else self.function.name

    @property
    def governed(self) -> bool:
        return any(site.governed for site in self.sites)

    @property
    def score(self) -> int:
        words = f"{self.module.name} {self.owner.name if self.owner else ''} {self.function.name}".lower()
        return (4 * self.governed + 2 * min(self.callers, 3)
                + any(word in words for word in ("runner", "execut", "invok", "dispatch"))
                - 3 * self.function.name.startswith("_"))

    @property
    def primary_site(self) -> ExecutionSite:
        governed = [site for site in self.sites if site.governed]
        return (governed or self.sites)[0]


@dataclass
class ExecutionFindings:
    """Every place the codebase executes a plugin, and the runner candidates among them."""
    interface: PluginInterface | None
    method: str
    sites: list[ExecutionSite]
    candidates: list[RunnerCandidate]
    # Methods the execution method hands the work to in a plugin base (a legacy base whose
    # `run_tool` calls its abstract `analyze`): calling them executes the plugin too.
    delegated: tuple[str, ...] = ()

    @property
    def runner(self) -> RunnerCandidate | None:
        return self.candidates[0] if self.candidates else None


class ExecutionDiscovery:
    """Finds the plugin interface, the execution method and the runner of a project."""

    def __init__(self, project: Project, types: Types) -> None:
        self.project = project
        self.types = types

    def run(self) -> ExecutionFindings:
        interfaces = self.plugin_interfaces()
        best: tuple[int, PluginInterface | None, str, list[ExecutionSite]] = (-1, None, "", [])
        for interface in interfaces:
            for method in interface.methods:
                sites = self.execution_sites((method,), interface)
                score = _method_score(method, sites) + interface.score
                if sites and score > best[0] and _plausible(interface, method, sites):
                    best = (score, interface, method, sites)
        if best[1] is None:
            best = self._without_interface()
        _, interface, method, sites = best
        candidates = self.runner_candidates(sites)
        return ExecutionFindings(interface, method, sites, candidates,
                                 _delegated_methods(interface, method))

    # -- plugin interfaces ---------------------------------------------------------------

    def plugin_interfaces(self) -> list[PluginInterface]:
        classes = self.types.classes
        children: dict[int, list[ClassInfo]] = {}
        for info in classes:
            for base in self.types.base_classes(info):
                children.setdefault(id(base), []).append(info)
        found = []
        for info in classes:
            interface = self._interface(info, classes, children)
            if interface is not None:
                found.append(interface)
        return sorted(found, key=lambda item: (-item.score, item.base.qualified))

    def _interface(self, info: ClassInfo, classes: list[ClassInfo],
                   children: dict[int, list[ClassInfo]]) -> PluginInterface | None:
        declared = {name for name, method in info.methods.items()
                    if not name.startswith("_") and (is_declaration(method) or is_protocol_class(info.node))}
        descendants = _descendants(info, children)
        if is_protocol_class(info.node) and declared:
            descendants += [other for other in classes if other is not info
                            and other not in descendants and declared <= set(other.methods)]
        if not descendants:
            return None
        public = {name for name in info.methods if not name.startswith("_")}
        implemented = Counter(name for child in descendants for name in child.methods
                              if name in public)
        methods = tuple(sorted(name for name in implemented if name in declared)) or tuple(
            sorted(implemented))
        if not methods:
            return None
        return PluginInterface(info, descendants, methods, abstract=bool(declared))

    # -- execution sites -----------------------------------------------------------------

    def execution_sites(self, methods: tuple[str, ...],
                        interface: PluginInterface | None) -> list[ExecutionSite]:
        """Calls (and hand-overs) of `methods` on plugin objects, outside the plugin classes."""
        config = _recognition_config(interface)
        excluded = {id(info.node) for info in (interface.implementations if interface else [])}
        if interface is not None:
            excluded.add(id(interface.base.node))
        strong: list[ExecutionSite] = []
        weak: list[ExecutionSite] = []
        helpers = self._executing_helpers(methods)
        for module in self.project.modules.values():
            if not module.attribute_names.intersection(methods) and not helpers:
                continue
            recognizer = PluginNames(module.tree, config, module.parents,
                                     typed=self._typed(module, config.plugin_base_classes))
            for function, owner in _functions(module, self.types):
                if owner is not None and id(owner.node) in excluded:
                    continue
                for site in self._sites_in(module, function, owner, methods, recognizer):
                    (strong if site.strong else weak).append(site)
                for site in self._handed_to_helpers(module, function, owner, methods, recognizer, helpers):
                    strong.append(site)
        return strong or weak

    def _typed(self, module: SourceModule, bases: tuple[str, ...]):
        """The project model's verdict by type, for the name-based recognizer."""
        objects = objects_of(self.project.model, module.name)
        if objects is None:
            return None
        return lambda expression, at: objects.is_plugin(expression, bases, at)

    def _executing_helpers(self, methods: tuple[str, ...]) -> bool:
        """Whether any function of the project executes a plugin it is handed (a parameter)."""
        model = self.project.model
        for module in self.project.modules.values():
            facts = model.module(module.name)
            for function in facts.functions if facts is not None else ():
                if model.executed_parameters(Ref(module.name, function.qualname, "function"), methods):
                    return True
        return False

    def _handed_to_helpers(self, module: SourceModule, function: FunctionNode, owner: ClassInfo | None,
                           methods: tuple[str, ...], recognizer: PluginNames, helpers: bool
                           ) -> Iterator[ExecutionSite]:
        """Calls handing a plugin object to a function or method (of this class, `self._run`)
        that executes the parameter it lands in: the execution happens through the call."""
        if not helpers:
            return
        model = self.project.model
        for node in _walk_function(function):
            if not isinstance(node, ast.Call):
                continue
            target = self._helper(module, node, owner)
            if target is None:
                continue
            executed = model.executed_parameters(target, methods)
            facts = model.function(target)
            if not executed or facts is None:
                continue
            positional = [param.name for param in facts.params if param.kind == "positional"]
            if owner is not None and positional[:1] == ["self"]:
                positional = positional[1:]
            passed = list(zip(positional, node.args)) + [(keyword.arg, keyword.value)
                                                         for keyword in node.keywords if keyword.arg]
            for name, argument in passed:
                if name in executed and recognizer.is_plugin(argument, scope=function):
                    method = executed[name][-1].split("(", 1)[0].rsplit(".", 1)[-1]
                    yield ExecutionSite(module, function, owner, node, method if method in methods
                                        else methods[0], argument, True, _broad_try(module, node, function))
                    break

    def _helper(self, module: SourceModule, call: ast.Call, owner: ClassInfo | None) -> Ref | None:
        """The project function a call runs: `helper(...)`, `mod.helper(...)`, `self._run(...)`."""
        func = call.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) \
                and func.value.id == "self" and owner is not None:
            return self.project.model.method(owner.ref, func.attr)
        written = dotted_name(func)
        facts = self.project.model.module(module.name)
        ref = self.project.model.resolve(facts, written) if written and facts is not None else None
        return ref if ref is not None and ref.kind == "function" else None

    def _sites_in(self, module: SourceModule, function: FunctionNode, owner: ClassInfo | None,
                  methods: tuple[str, ...], recognizer: PluginNames) -> Iterator[ExecutionSite]:
        lookups = _looked_up_names(function)
        for node in _walk_function(function):
            reference = method_reference(node, methods)
            if reference is None or is_introspection(reference, module.parents.get(node)):
                continue
            receiver = reference.receiver
            if _skipped_receiver(receiver, module):
                continue
            strong = recognizer.is_plugin(receiver, scope=function)
            if not strong and not _looks_up(receiver, lookups):
                continue
            call = _execution_call(module, node)
            yield ExecutionSite(module, function, owner, call, reference.method, receiver, strong,
                                _broad_try(module, call, function))

    def _without_interface(self):
        """No plugin base class: the methods called on what the default patterns call plugins."""
        config = Config()
        counts: Counter[str] = Counter()
        for module in self.project.modules.values():
            recognizer = PluginNames(module.tree, config, module.parents)
            for node in module.calls:
                if isinstance(node.func, ast.Attribute) \
                        and not node.func.attr.startswith("_") \
                        and not _skipped_receiver(node.func.value, module) \
                        and recognizer.is_plugin(node.func.value, at=node):
                    counts[node.func.attr] += 1
        best: tuple[int, PluginInterface | None, str, list[ExecutionSite]] = (-1, None, "", [])
        for method, _ in counts.most_common(MAX_FALLBACK_METHODS):
            sites = [site for site in self.execution_sites((method,), None) if site.strong]
            score = _method_score(method, sites)
            if sites and score > best[0]:
                best = (score, None, method, sites)
        return best

    # -- the runner ----------------------------------------------------------------------

    def runner_candidates(self, sites: list[ExecutionSite]) -> list[RunnerCandidate]:
        grouped: dict[int, RunnerCandidate] = {}
        for site in sites:
            candidate = grouped.setdefault(
                id(site.function), RunnerCandidate(site.module, site.function, site.owner, []))
            candidate.sites.append(site)
        candidates = list(grouped.values())
        called = self._called_names()
        for candidate in candidates:
            candidate.callers = called[candidate.function.name]
        return sorted(candidates, key=lambda item: (-item.score, item.module.name,
                                                    item.function.lineno))

    @cached_property
    def _all_calls(self) -> list[tuple[SourceModule, ast.Call]]:
        return [(module, node) for module in self.project.modules.values() for node in module.calls]

    def _called_names(self) -> Counter[str]:
        """How many modules call each name (`x.run(...)`, `run(...)`) or hand on `x.run`."""
        modules_by_name: dict[str, set[str]] = {}
        for module, call in self._all_calls:
            for node in (call.func, *call.args, *(keyword.value for keyword in call.keywords)):
                name = last_name(node) if isinstance(node, (ast.Name, ast.Attribute)) else None
                if name:
                    modules_by_name.setdefault(name, set()).add(module.name)
        return Counter({name: len(modules) for name, modules in modules_by_name.items()})


def _plausible(interface: PluginInterface, method: str, sites: list[ExecutionSite]) -> bool:
    """Enough to call a class hierarchy plugins: a plugin-like package or name, an execution
    guarded like a runner's, or an execution-like method name (`run`, `process`, ...)."""
    lowered = method.lower()
    if any(site.governed for site in sites):
        return True
    if any(lowered.startswith(word) for word in DESCRIPTIVE_WORDS):
        return False
    return bool(interface.in_plugin_package
                or any(word in interface.base.name.lower() for word in PLUGIN_PACKAGE_WORDS)
                or any(word in lowered for word in EXECUTION_WORDS))


def _method_score(method: str, sites: list[ExecutionSite]) -> int:
    lowered = method.lower()
    return (4 * any(site.governed for site in sites) + min(len(sites), 4)
            + 2 * any(word in lowered for word in EXECUTION_WORDS)
            - 3 * any(lowered.startswith(word) for word in DESCRIPTIVE_WORDS))


def _recognition_config(interface: PluginInterface | None) -> Config:
    """The default plugin recognition, extended with the names the base class suggests
    (`BaseTool` -> `tool`, `*_tool`, `self._tools[...]`) and the base class annotations."""
    default = Config()
    if interface is None:
        return default
    stem = plugin_stem(interface.base.name)
    receivers = default.plugin_receivers
    if stem:
        receivers += (stem, f"*.{stem}", f"*._{stem}", f"*_{stem}", f"{stem}s[]", f"*.{stem}s[]",
                      f"*_{stem}s[]")
    bases = tuple(dict.fromkeys((interface.base.name, *default.plugin_base_classes)))
    return default._replace(plugin_receivers=receivers, plugin_base_classes=bases)


def plugin_stem(class_name: str) -> str:
    """`BaseTool` -> `tool`, `AnalysisPlugin` -> `analysis_plugin`, `PluginBase` -> `plugin`."""
    stem = BASE_AFFIXES.sub("", class_name) or class_name
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", stem).lower()


def _descendants(info: ClassInfo, children: dict[int, list[ClassInfo]]) -> list[ClassInfo]:
    found: list[ClassInfo] = []
    pending = list(children.get(id(info), []))
    while pending:
        child = pending.pop(0)
        if child not in found and child is not info:
            found.append(child)
            pending.extend(children.get(id(child), []))
    return found


def _functions(module: SourceModule, types: Types) -> Iterator[tuple[FunctionNode, ClassInfo | None]]:
    """Every function of the module with the class it is a method of (nested ones included)."""
    owners: dict[int, ClassInfo] = {}
    for info in types.classes:
        if info.module is module:
            for method in info.methods.values():
                owners[id(method)] = info
    for node in module.functions:
        yield node, owners.get(id(node))


def _execution_call(module: SourceModule, reference: ast.AST) -> ast.AST:
    """The call that executes: `plugin.run(x)` for the reference `plugin.run`, or the hand-off
    it is given to (`await asyncio.to_thread(plugin.run, x)`, `run_isolated(plugin.run, x)`),
    whose result is what the execution returned."""
    parent = module.parents.get(reference)
    if isinstance(parent, ast.Call) and (parent.func is reference or reference in parent.args
                                         or any(keyword.value is reference for keyword in parent.keywords)):
        return parent
    return reference


def _walk_function(function: FunctionNode) -> Iterator[ast.AST]:
    """The nodes of one function body, nested functions and classes excluded (lambdas kept:
    `lambda: plugin.run(x)` still executes in the function's sense)."""
    stack = list(ast.iter_child_nodes(function))
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            stack.extend(ast.iter_child_nodes(node))


def _skipped_receiver(receiver: ast.AST, module: SourceModule) -> bool:
    """`self.run()`, `super().run()`, `subprocess.run(...)`, `asyncio.run(...)`: not plugins."""
    if isinstance(receiver, ast.Name):
        return receiver.id in ALWAYS_SKIPPED_RECEIVERS or receiver.id in module.module_aliases
    if isinstance(receiver, ast.Call):
        return last_name(receiver.func) == "super"
    root = receiver
    while isinstance(root, ast.Attribute):
        root = root.value
    return isinstance(root, ast.Name) and root.id in module.module_aliases


def _looked_up_names(function: FunctionNode) -> set[str]:
    """Local names bound to a looked-up value: `tool = self._catalog.get(name)`,
    `tool = tools[name]`, `for tool in self._tools.values()`."""
    names: set[str] = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 \
                and isinstance(node.targets[0], ast.Name) and _is_lookup(node.value):
            names.add(node.targets[0].id)
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)) \
                and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


def _is_lookup(node: ast.AST) -> bool:
    if isinstance(node, ast.Await):
        node = node.value
    if isinstance(node, ast.Subscript):
        return True
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and bool(node.args)


def _looks_up(receiver: ast.AST, lookups: set[str]) -> bool:
    if isinstance(receiver, ast.Name):
        return receiver.id in lookups
    return _is_lookup(receiver)


def _broad_try(module: SourceModule, node: ast.AST, stop: ast.AST) -> ast.Try | None:
    """The nearest `try` whose body holds `node` and that has a broad handler."""
    child, current = node, module.parents.get(node)
    while current is not None and current is not stop:
        if isinstance(current, ast.Try) and child in current.body \
                and any(is_broad_handler(handler) for handler in current.handlers):
            return current
        child, current = current, module.parents.get(current)
    return None


def is_broad_handler(handler: ast.ExceptHandler) -> bool:
    if handler.type is None:
        return True
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(last_name(item) in BROAD_EXCEPTIONS for item in types)


def _delegated_methods(interface: PluginInterface | None, method: str) -> tuple[str, ...]:
    """The methods a base of the plugin interface declares without a body (abstract, `...`)
    and calls from its own implementation of the execution method (`return self.analyze(...)`
    in `LegacyPlugin.run_tool`): the subclasses' code runs through them."""
    if interface is None or not method:
        return ()
    found: dict[str, None] = {}
    for info in [interface.base, *interface.implementations]:
        implementation = info.methods.get(method)
        if implementation is None or is_declaration(implementation):
            continue
        declared = {name for name, node in info.methods.items()
                    if name != method and not name.startswith("_") and is_declaration(node)}
        for node in ast.walk(implementation):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "self" \
                    and node.func.attr in declared:
                found[node.func.attr] = None
    return tuple(found)
