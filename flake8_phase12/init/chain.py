"""The service chain, found by following calls down from the API routes to the runner.

From each FastAPI route (`@router.post(...)`, `add_api_route`), every call on an object whose
class the source shows (see `inference`) is followed into that class's method, then through the
attributes that method's class holds (`self._jobs.run_job(...)`), until a function that executes
plugins is reached. A call of an injected callable (`self._execute_tool(...)`) is followed
through the constructor calls that wire it (`ToolService(execute_tool=runner.run)`).

When no route leads to the runner (no FastAPI, or wiring the source does not show), the chain
is rebuilt upward from the runner: the class that holds it, the class that holds that one, ...
"""

from __future__ import annotations

import ast
import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field

from flake8_phase12.init.execution import RunnerCandidate
from flake8_phase12.init.inference import (
    ClassInfo,
    FunctionNode,
    Types,
    Value,
    last_identifier,
    parameter_named,
    parameter_names,
)
from flake8_phase12.init.project import Project, SourceModule

MAX_HOPS = 8
MAX_WALK_STEPS = 20_000
MAX_HELPER_DEPTH = 3
MAX_UPWARD_LAYERS = 5


@dataclass(frozen=True)
class Hop:
    """One step down: the caller reaches `cls.method` (or the function `method`)."""

    cls: ClassInfo | None
    method: str
    attribute: str
    location: str
    how: str
    through_callable: bool = False
    # A layer written as module-level functions (`analyse(jobs, submission)`), reached through
    # a callable the wiring hands over (a dataclass of `functools.partial`s): its module.
    function_layer: FunctionLayer | None = None
    # The name the caller calls it by, when that is not the function's (`gateway.extract(...)`
    # calling a field that holds `partial(analyse, jobs)`): the routes' entry method.
    called: str = ""

    @property
    def layer(self) -> ClassInfo | FunctionLayer | None:
        return self.cls if self.cls is not None else self.function_layer


@dataclass(eq=False)
class FunctionLayer:
    """A service layer that is a module of functions rather than a class: the `class` of its
    configuration is empty and its entries are functions."""

    module: SourceModule

    name = ""

    @property
    def methods(self) -> dict[str, FunctionNode]:
        return {node.name: node for node in self.module.tree.body
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}

    @property
    def label(self) -> str:
        return self.module.name


@dataclass(eq=False)
class ChainPath:
    """One path from a route down to the runner, class by class, as `phase12 init` found it."""
    route_module: SourceModule | None
    route: FunctionNode | None
    access_names: tuple[str, ...]
    hops: list[Hop]
    runner: RunnerCandidate

    @property
    def layers(self) -> list[Hop]:
        """The service hops, runner excluded."""
        return [hop for hop in self.hops[:-1] if hop.layer is not None]

    @property
    def key(self) -> tuple[int, ...]:
        return (*(_layer_key(hop) for hop in self.layers), id(self.runner.function))


@dataclass
class Chain:
    """The chosen service chain: each layer with its entry methods and how it is held."""

    paths: list[ChainPath]
    upward: bool = False
    services: list[ClassInfo | FunctionLayer] = field(default_factory=list)
    entry_methods: list[tuple[str, ...]] = field(default_factory=list)
    # Attributes through which layer i holds layer i + 1 (the last: the runner).
    delegate_attributes: list[tuple[str, ...]] = field(default_factory=list)
    delegate_methods: list[tuple[str, ...]] = field(default_factory=list)
    evidence: list[list[str]] = field(default_factory=list)
    # More runner roles than the runner: its sync or async twin that the last service calls too.
    runner_roles: list[RunnerCandidate] = field(default_factory=list)

    @property
    def runner(self) -> RunnerCandidate | None:
        return self.paths[0].runner if self.paths else None

    @property
    def route_modules(self) -> list[SourceModule]:
        found: list[SourceModule] = []
        for path in self.paths:
            if path.route_module is not None and path.route_module not in found:
                found.append(path.route_module)
        return found

    @property
    def access_names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(name for path in self.paths for name in path.access_names))


class ChainDiscovery:
    """Finds the classes that hold each other from the routes down to the runner."""
    def __init__(self, project: Project, types: Types, candidates: list[RunnerCandidate]) -> None:
        self.project = project
        self.types = types
        self.candidates = {id(candidate.function): candidate for candidate in candidates}
        self.owners = {id(method): info for info in types.classes for method in info.methods.values()}
        # Functions the downward walk may still enter: a bound on pathological call graphs.
        self.budget = MAX_WALK_STEPS
        self._wired: dict[tuple[int, str], Value | None] = {}
        self._function_layers: dict[int, FunctionLayer] = {}

    # -- downward, from the routes -------------------------------------------------------

    def routes(self) -> Iterator[tuple[SourceModule, FunctionNode]]:
        for module in self.project.modules.values():
            if not any(origin == "fastapi" or origin.startswith("fastapi.")
                       for origin in module.imports.values()):
                continue
            for function in self._route_functions(module):
                yield module, function

    def _route_functions(self, module: SourceModule) -> list[FunctionNode]:
        """The module's route handlers, from the model's facts: functions decorated as routes
        (`@router.post(...)`, `@app.get(...)`, `@router.api_route(...)`, `@router.websocket(...)`)
        and functions of the module registered with `add_api_route(path, endpoint)`."""
        facts = self.project.model.module(module.name) if self.project.model is not None else None
        found: dict[int, FunctionNode] = {}
        for route in facts.routes if facts is not None else ():
            node = module.definition_at(route.handler)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                found.setdefault(id(node), node)
        return sorted(found.values(), key=lambda node: (node.col_offset > 0, node.lineno))

    def paths_from_routes(self) -> list[ChainPath]:
        found = []
        for module, route in self.routes():
            for hops, runner, access in self._walk(module, route, None, [], (), 0, set()):
                found.append(ChainPath(module, route, access, hops, runner))
        return found

    def _walk(self, module: SourceModule, function: FunctionNode, owner: ClassInfo | None,
              hops: list[Hop], access: tuple[str, ...], depth: int, seen: set[int]
              ) -> Iterator[tuple[list[Hop], RunnerCandidate, tuple[str, ...]]]:
        if depth > MAX_HOPS or id(function) in seen or self.budget <= 0:
            return
        self.budget -= 1
        seen = seen | {id(function)}
        for current in self._closure(function, owner):
            for call in _calls(current):
                target = self._target(call, module, current, owner)
                if target is None:
                    continue
                hop, next_module, next_function, next_owner = target
                names = access if hops else access + _access_names(call, module, current)
                candidate = self.candidates.get(id(next_function)) if next_function else None
                if candidate is not None:
                    # Keep going: a layer that executes plugins itself may still delegate
                    # further down; the deepest executing function is the runner.
                    yield [*hops, hop], candidate, names
                if next_function is not None and hop.cls is None and hop.through_callable \
                        and next_module is not module and candidate is None:
                    hop = dataclasses.replace(hop, function_layer=self._function_layer(next_module))
                if next_function is not None and hop.layer is not None:
                    yield from self._walk(next_module, next_function, next_owner, [*hops, hop],
                                          names, depth + 1, seen)
                elif next_function is not None and depth < MAX_HELPER_DEPTH:
                    # A plain helper function is no layer: look through it.
                    yield from self._walk(next_module, next_function, None, hops, names,
                                          depth + 1, seen)

    def _function_layer(self, module: SourceModule) -> FunctionLayer:
        """One `FunctionLayer` per module, so that paths through it share their key."""
        return self._function_layers.setdefault(id(module), FunctionLayer(module))

    def _closure(self, function: FunctionNode, owner: ClassInfo | None) -> list[FunctionNode]:
        """`function` and the methods of its class it calls through `self`."""
        found = [function]
        if owner is None:
            return found
        index = 0
        while index < len(found):
            for node in ast.walk(found[index]):
                if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                        and node.value.id == "self":
                    method = owner.methods.get(node.attr)
                    if method is not None and method not in found:
                        found.append(method)
            index += 1
        return found

    def _target(self, call: ast.Call, module: SourceModule, function: FunctionNode,
                owner: ClassInfo | None):
        func = call.func
        if isinstance(func, ast.Name):
            value = self.types.infer(func, module, function, owner)
            if value is not None and value.function is not None:
                symbol = value.function
                hop = Hop(None, symbol.name, "", module.location(call), "function")
                return hop, symbol.module, symbol.node, None
            return None
        if not isinstance(func, ast.Attribute):
            return None
        attribute = _self_attribute(func.value)
        if isinstance(func.value, ast.Name) and func.value.id == "self" and owner is not None \
                and func.attr not in owner.methods:
            return self._callable_target(call, module, owner, func.attr)
        value = self.types.infer(func.value, module, function, owner)
        if value is None and attribute and owner is not None:
            value = self.types.attributes(owner).get(attribute)
        if value is not None and value.parameter and owner is not None and attribute:
            value = self.wired_value(owner, value.parameter) or value
        if value is None or not value.is_instance or value.cls is None:
            return None
        method = _method(self.types, value.cls, func.attr)
        if method is None:
            return self._held_callable(call, module, function, owner)
        info, node = method
        hop = Hop(value.cls, func.attr, attribute, module.location(call), value.how)
        return hop, info.module, node, info

    def _held_callable(self, call: ast.Call, module: SourceModule, function: FunctionNode,
                       owner: ClassInfo | None):
        """`service.extract(...)` where `extract` is a field holding a function (a dataclass of
        `functools.partial`s), as the constructions of the class wire it."""
        value = self.types.infer(call.func, module, function, owner)
        if value is None or value.function is None:
            return None
        symbol = value.function
        called = call.func.attr if isinstance(call.func, ast.Attribute) else ""
        hop = Hop(None, symbol.name, "", module.location(call), "injected function", True,
                  called=called if called != symbol.name else "")
        return hop, symbol.module, symbol.node, None

    def _callable_target(self, call: ast.Call, module: SourceModule, owner: ClassInfo, attribute: str):
        """`self.<attribute>(...)` where the attribute holds an injected callable."""
        value = self.types.attributes(owner).get(attribute)
        if value is not None and value.parameter:
            value = self.wired_value(owner, value.parameter) or value
        if value is None:
            return None
        location = module.location(call)
        if value.function is not None:
            symbol = value.function
            hop = Hop(None, symbol.name, attribute, location, "injected function", True)
            return hop, symbol.module, symbol.node, None
        if value.cls is not None and value.method and value.method != "__class__":
            method = _method(self.types, value.cls, value.method)
            if method is not None:
                info, node = method
                hop = Hop(value.cls, value.method, attribute, location,
                          "injected bound method", True)
                return hop, info.module, node, info
        return None

    # -- every way into each layer -------------------------------------------------------------

    def widen_entries(self, chain: Chain, candidates: list[RunnerCandidate]) -> None:
        """Every way into each layer, not only the one the routes take: a public method of a
        layer that calls an entry of a layer below, or the runner's class (the runner's module
        for a function runner), is an entry too: the sync twin of an async entry, a batch entry,
        and also one that skips a layer or calls the wrong runner method, so that the rules
        judge it (the proposal for a violating variant is the one for its compliant original).
        Read bottom-up, from what each method calls; a call the source does not resolve adds
        nothing, and a method that reaches no execution (a status query) is no entry."""
        runner = chain.runner
        if runner is None or not chain.services:
            return
        home = runner.owner.methods.values() if runner.owner is not None else [
            node for node in runner.module.tree.body
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]
        # The runner's sync or async twin (`dispatch` beside `dispatch_async`, or `run_async` in
        # a module of its own that guards its executions as the runner does) is a runner role:
        # calling it is delegation too. Other runner methods are not (a `run_batch` beside `run`
        # is a second way in, judged on its own).
        twins = {id(candidate.function): candidate for candidate in candidates
                 if candidate is not runner
                 and _twin_names(candidate.function.name, runner.function.name)
                 and ((candidate.module is runner.module and candidate.owner is runner.owner)
                      or (candidate.module is not runner.module and candidate.governed))}
        below = {id(node) for node in home} | set(twins) | {
            id(candidate.function) for candidate in candidates
            if candidate.module is runner.module and candidate.owner is runner.owner}
        # The entries of the layer right below: an attribute is a delegate only when it leads
        # there (one that skips a layer is the bypass the rules report, never the design).
        next_layer = set(below)
        for index in range(len(chain.services) - 1, -1, -1):
            info = chain.services[index]
            entries = dict.fromkeys(chain.entry_methods[index])
            attributes = dict.fromkeys(chain.delegate_attributes[index])
            reached: list[int] = []  # what every entry calls of the layer below, read once
            for name, method in info.methods.items():
                if name.startswith("_"):
                    continue
                through = self._calls_into(method, info, below)
                if through is None:
                    continue
                reached.extend(target for _, target in through)
                if name not in entries:
                    entries[name] = None
                    attributes.update(dict.fromkeys(attribute for attribute, target in through
                                                    if attribute and target in next_layer))
            if index == len(chain.services) - 1:
                # The twins the last service calls: proposed as `runner.also`.
                chain.runner_roles = list({target: twins[target] for target in reached
                                           if target in twins}.values())
            chain.entry_methods[index] = tuple(entries)
            chain.delegate_attributes[index] = tuple(attributes)
            if index > 0:
                chain.delegate_methods[index - 1] = chain.entry_methods[index]
            next_layer = {id(info.methods[name]) for name in entries if name in info.methods}
            below |= next_layer

    def _calls_into(self, method: FunctionNode, info: ClassInfo | FunctionLayer,
                    targets: set[int]) -> list[tuple[str, int]] | None:
        """(attribute, target) for each call of `method` (`self._jobs.submit(...)`) that
        reaches one of `targets`; None when it reaches none."""
        owner = info if isinstance(info, ClassInfo) else None
        found = [pair for current in self._closure(method, owner)
                 for pair in self._reaching(current, info.module, owner, targets, 0)]
        return found or None

    def _reaching(self, function: FunctionNode, module: SourceModule, owner: ClassInfo | None,
                  targets: set[int], depth: int) -> Iterator[tuple[str, int]]:
        """(attribute, target) for the calls of `function` that reach one of `targets`,
        directly or through a module function it calls or hands to an executor
        (`_await_job(self._board, ...)`, `pool.submit(_run_job, self._gateway, job)`)."""
        for call in _calls(function):
            target = self._target(call, module, function, owner)
            if target is not None and target[2] is not None and id(target[2]) in targets:
                yield target[0].attribute, id(target[2])
                continue
            if depth >= MAX_HELPER_DEPTH - 1:
                continue
            helpers = [] if target is None or target[0].layer is not None or target[3] is not None \
                else [(target[1], target[2])]
            helpers += self._handed_functions(call, module, function, owner)
            for helper_module, helper in helpers:
                if helper is not None and helper is not function:
                    yield from self._reaching(helper, helper_module, None, targets, depth + 1)

    def _handed_functions(self, call: ast.Call, module: SourceModule, function: FunctionNode,
                          owner: ClassInfo | None) -> list[tuple[SourceModule, FunctionNode]]:
        """The functions of the project a call hands on as arguments (to an executor)."""
        found = []
        for argument in call.args:
            if not isinstance(argument, (ast.Name, ast.Attribute)):
                continue
            value = self.types.infer(argument, module, function, owner)
            if value is not None and value.function is not None:
                found.append((value.function.module, value.function.node))
        return found

    def wired_value(self, owner: ClassInfo, parameter: str) -> Value | None:
        """What the constructor calls of `owner` pass for `parameter` (`Svc(run=runner.run)`)."""
        key = (id(owner), parameter)
        if key not in self._wired:
            self._wired[key] = None  # a class wired with itself must not loop
            self._wired[key] = self._wiring(owner, parameter)
        return self._wired[key]

    def _wiring(self, owner: ClassInfo, parameter: str) -> Value | None:
        init = owner.methods.get("__init__")
        positional = parameter_names(init) if init is not None else _field_names(owner)
        for module, call, function, caller in self._constructions(owner):
            argument = _argument(call, parameter, positional)
            if argument is None:
                continue
            value = self.types.infer(argument, module, function, caller)
            if value is not None and (value.function is not None or value.cls is not None):
                return Value(cls=value.cls, method=value.method, function=value.function,
                             how="wiring at " + module.location(call))
        return None

    def _constructions(self, owner: ClassInfo):
        for module in self.project.modules.values():
            if owner.name not in module.source_names:
                continue
            for node in module.calls:
                if last_identifier(node.func) == owner.name \
                        and self.types.class_named(module, node.func) is owner:
                    function = _enclosing_function(module, node)
                    caller = self.owners.get(id(function)) if function is not None else None
                    yield module, node, function, caller

    # -- upward, from the runner ---------------------------------------------------------

    def paths_upward(self, runner: RunnerCandidate) -> list[ChainPath]:
        """The classes holding each other down to the runner, read bottom-up: one path per
        entry method of the top class."""
        hops: list[Hop] = []
        layers: list[ClassInfo] = []
        target_class, target_function = runner.owner, runner.function
        entries: list[str] = []
        for _ in range(MAX_UPWARD_LAYERS):
            holder = self._unique_holder(target_class, target_function, layers)
            if holder is None:
                break
            # A tuple once not None, which pylint's inference does not follow.
            info, attribute, call, through_callable = holder  # pylint: disable=unpacking-non-sequence
            method = call.func.attr if attribute and isinstance(call.func, ast.Attribute) \
                and _self_attribute(call.func.value) == attribute \
                else (target_function.name if target_function is not None else "")
            hops.insert(0, Hop(target_class, method, attribute,
                               info.module.location(call), f"held by {info.name}", through_callable))
            entries = _entries_reaching(info, call)
            layers.append(info)
            target_class, target_function = info, None
        if not layers:
            return []
        top = layers[-1]
        return [ChainPath(None, None, (), [Hop(top, name, "", top.location,
                                               "top of the chain"), *hops], runner)
                for name in entries or [""]]

    def _unique_holder(self, target: ClassInfo | None, function: FunctionNode | None,
                       exclude: list[ClassInfo]):
        """The one class that holds `target` (or the runner function) and calls it."""
        holders: dict[int, tuple[ClassInfo, str, ast.Call, bool]] = {}
        for info in self.types.classes:
            if info is target or info in exclude or id(info) in holders:
                continue
            for attribute, value in self.types.attributes(info).items():
                if value.parameter:
                    value = self.wired_value(info, value.parameter) or value
                through_callable = _holds_callable(value, target, function)
                if not through_callable and not (target is not None and value.is_instance
                                                 and value.cls is target):
                    continue
                call = next((found for method in info.methods.values()
                             if (found := _call_through(method, attribute)) is not None), None)
                if call is not None:
                    holders[id(info)] = (info, attribute, call, through_callable)
                    break
            if target is None and function is not None and id(info) not in holders:
                call = self._direct_call(info, function)
                if call is not None:
                    holders[id(info)] = (info, "", call, False)
        return next(iter(holders.values())) if len(holders) == 1 else None

    def _direct_call(self, info: ClassInfo, function: FunctionNode) -> ast.Call | None:
        """A call of the plain function `function` by name in a method of `info`."""
        for method in info.methods.values():
            for node in ast.walk(method):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                        and node.func.id == function.name:
                    symbol = self.project.resolve(info.module, node.func.id)
                    if symbol is not None and symbol.node is function:
                        return node
        return None


def _holds_callable(value: Value, target: ClassInfo | None, function: FunctionNode | None) -> bool:
    if function is None:
        return False
    if value.function is not None and value.function.node is function:
        return True
    return target is not None and value.cls is target and value.method == function.name


def choose_runner(paths: list[ChainPath], candidates: list[RunnerCandidate]) -> RunnerCandidate | None:
    """The runner: among the executing functions the routes reach, the governed one, else the
    deepest (a layer above it that also executes plugins bypasses it); else the best scored."""
    reached: dict[int, tuple[int, RunnerCandidate]] = {}
    for path in paths:
        depth = len(path.layers)
        previous = reached.get(id(path.runner), (-1, path.runner))
        reached[id(path.runner)] = (max(depth, previous[0]), path.runner)
    if reached:
        return max(reached.values(), key=lambda item: (item[1].governed, item[0], item[1].score))[1]
    return candidates[0] if candidates else None


def choose_chain(paths: list[ChainPath], runner: RunnerCandidate | None, upward: bool = False) -> Chain:
    """The longest sequence of layers down to `runner` (skipping a layer is what the checklist
    forbids, so the full chain is the design); among equals, the one most routes take."""
    paths = [path for path in paths if runner is None or path.runner is runner]
    if not paths:
        return Chain([], upward)
    routes: dict[tuple[int, ...], set[int]] = {}
    for path in paths:
        routes.setdefault(path.key, set()).add(id(path.route))
    best_key = max(routes, key=lambda key: (len(key), len(routes[key])))
    chosen = [path for path in paths if path.key == best_key]
    chain = Chain(chosen, upward)
    first = chosen[0]
    chain.services = [hop.layer for hop in first.layers if hop.layer is not None]
    size = len(chain.services)
    entries: list[dict[str, None]] = [{} for _ in range(size + 1)]
    attributes: list[dict[str, None]] = [{} for _ in range(size + 1)]
    evidence: list[dict[str, None]] = [{} for _ in range(size + 1)]
    for path in chosen:
        hops = [hop for hop in path.hops[:-1] if hop.layer is not None] + [path.hops[-1]]
        for index, hop in enumerate(hops[: size + 1]):
            # A plain-function runner called by name has no method on a delegate.
            plain_function = hop.layer is None and not hop.attribute
            if hop.called and index == 0:
                entries[index][hop.called] = None  # what the routes call it by
            if hop.method and not plain_function:
                entries[index][hop.method] = None
            if hop.attribute and index > 0:
                attributes[index - 1][hop.attribute] = None
            evidence[index][hop.location] = None
    chain.entry_methods = [tuple(item) for item in entries]
    chain.delegate_attributes = [tuple(item) for item in attributes[:size]]
    chain.delegate_methods = [tuple(item) for item in entries[1:]]
    chain.evidence = [list(item) for item in evidence]
    return chain


def _twin_names(one: str, other: str) -> bool:
    """`dispatch` and `dispatch_async` (or `async_dispatch`): one name, a sync and an async form."""
    def base(name: str) -> str:
        return name.removesuffix("_async").removeprefix("async_")

    return one != other and base(one) == base(other)


def layer_label(layer: ClassInfo | FunctionLayer) -> str:
    """A layer as the report names it: its class, or the module of a layer of functions."""
    return layer.name or layer.module.name


def _layer_key(hop: Hop) -> int:
    return id(hop.layer)


def _method(types: Types, info: ClassInfo, name: str) -> tuple[ClassInfo, FunctionNode] | None:
    """`info.name`, looked up through the project base classes too."""
    pending, seen = [info], set()
    while pending:
        current = pending.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        if name in current.methods:
            return current, current.methods[name]
        pending.extend(types.base_classes(current))
    return None


def _calls(function: FunctionNode) -> Iterator[ast.Call]:
    """The calls of one function in source order, nested definitions excluded."""
    stack = list(reversed(list(ast.iter_child_nodes(function))))
    found = []
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Call):
            found.append(node)
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            stack.extend(reversed(list(ast.iter_child_nodes(node))))
    return iter(sorted(found, key=lambda node: (node.lineno, node.col_offset)))


def _self_attribute(node: ast.AST) -> str:
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
        return node.attr
    return ""


def _access_names(call: ast.Call, module: SourceModule, function: FunctionNode) -> tuple[str, ...]:
    """How a route reaches the top service: the getter (`get_service()`), a `Depends(getter)`
    parameter's getter, or a module-level variable (`service.analyze(...)`)."""
    func = call.func
    receiver = func.value if isinstance(func, ast.Attribute) else None
    if isinstance(receiver, ast.Await):
        receiver = receiver.value
    if isinstance(receiver, ast.Call) and isinstance(receiver.func, (ast.Name, ast.Attribute)):
        return (last_identifier(receiver.func),)
    if isinstance(receiver, ast.Name):
        default = _parameter_default(function, receiver.id)
        if isinstance(default, ast.Call) and last_identifier(default.func) == "Depends" and default.args:
            return (last_identifier(default.args[0]),)
        annotation = _parameter_annotation(function, receiver.id)
        depends = [] if annotation is None else [
            node for node in ast.walk(annotation) if isinstance(node, ast.Call)
            and last_identifier(node.func) == "Depends" and node.args]
        if depends:
            return (last_identifier(depends[0].args[0]),)
        if annotation is None and receiver.id in module.definitions or receiver.id in module.imports:
            return (receiver.id,)
    if isinstance(receiver, ast.Attribute) and not _self_attribute(receiver):
        return (receiver.attr,)
    return ()


def _parameter_default(function: FunctionNode, name: str) -> ast.AST | None:
    arguments = function.args
    positional = [*arguments.posonlyargs, *arguments.args]
    pairs = list(zip(positional[len(positional) - len(arguments.defaults):], arguments.defaults))
    pairs += [(arg, default) for arg, default in zip(arguments.kwonlyargs, arguments.kw_defaults)
              if default is not None]
    return next((default for arg, default in pairs if arg.arg == name), None)


def _parameter_annotation(function: FunctionNode, name: str) -> ast.AST | None:
    parameter = parameter_named(function, name)
    return parameter.annotation if parameter is not None else None


def _argument(call: ast.Call, parameter: str, positional: list[str]) -> ast.AST | None:
    for keyword in call.keywords:
        if keyword.arg == parameter:
            return keyword.value
    if parameter in positional:
        index = positional.index(parameter)
        plain = [argument for argument in call.args if not isinstance(argument, ast.Starred)]
        if len(plain) == len(call.args) and index < len(plain):
            return plain[index]
    return None


def _field_names(owner: ClassInfo) -> list[str]:
    return [item.target.id for item in owner.node.body
            if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name)]


def _enclosing_function(module: SourceModule, node: ast.AST) -> FunctionNode | None:
    current = module.parents.get(node)
    while current is not None and not isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef)):
        current = module.parents.get(current)
    return current


def _call_through(function: FunctionNode, attribute: str) -> ast.Call | None:
    """A call of `self.<attribute>(...)` or `self.<attribute>.<method>(...)` in `function`."""
    for node in ast.walk(function):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if _self_attribute(func) == attribute:
            return node
        if isinstance(func, ast.Attribute) and _self_attribute(func.value) == attribute:
            return node
    return None


def _entries_reaching(info: ClassInfo, call: ast.Call) -> list[str]:
    """The public methods of `info` whose own code, or a method they call through `self`,
    makes `call`."""
    containing = [name for name, method in info.methods.items()
                  if any(node is call for node in ast.walk(method))]
    found = []
    for name, method in info.methods.items():
        if name.startswith("_"):
            continue
        reachable, pending = {name}, [method]
        while pending:
            for node in ast.walk(pending.pop()):
                if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                        and node.value.id == "self" and node.attr in info.methods \
                        and node.attr not in reachable:
                    reachable.add(node.attr)
                    pending.append(info.methods[node.attr])
        if reachable & set(containing):
            found.append(name)
    return found
