"""`discover(root)`: every role `phase12 init` looks for, with its evidence and confidence.

The facts (classes, modules, calls) stay available for the proposal; each role is also
summarised as a `Role` for the report: what was found, where (file:line), how sure, and why.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

from flake8_phase12.analysis.names import last_name, render
from flake8_phase12.analysis.plugins import PluginNames
from flake8_phase12.config.model import Config
from flake8_phase12.init.chain import Chain, ChainDiscovery, choose_chain, choose_runner, layer_label
from flake8_phase12.init.execution import (
    ExecutionDiscovery,
    ExecutionFindings,
    ExecutionSite,
    RunnerCandidate,
)
from flake8_phase12.init.governance import Found, Governance, find_governance
from flake8_phase12.init.inference import Types
from flake8_phase12.init.metric_fields import MetricFields, read_metric_fields
from flake8_phase12.init.project import Project, SourceModule, scan_project

HIGH, MEDIUM, LOW, MISSING = "high", "medium", "low", "missing"
# Receiver names too generic to call every such object a plugin.
GENERIC_NAMES = frozenset({"self", "cls", "obj", "item", "x", "y", "it", "value", "result", "target",
                           "instance", "handler", "func", "fn", "callback", "data", "thing", "entry"})


@dataclass(frozen=True)
class Role:
    """One role as the report shows it."""

    name: str
    value: str
    confidence: str
    reason: str
    evidence: tuple[str, ...] = ()


@dataclass
class Discovery:
    """What `phase12 init` learnt about a codebase: executions, the runner, governance calls, the chain."""
    project: Project
    execution: ExecutionFindings
    runner: RunnerCandidate | None
    governance: Governance
    chain: Chain
    route_modules: list[SourceModule]
    registry_module: SourceModule | None
    metric_fields: MetricFields | None
    extra_receivers: tuple[str, ...]
    roles: list[Role] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def method(self) -> str:
        return self.execution.method

    @property
    def missing(self) -> list[str]:
        """The essential roles that could not be found (a low-confidence runner, one that
        neither guards its executions nor is reached by the services, counts as not found)."""
        gaps = []
        if not self.method:
            gaps.append("execution method")
        if self.runner is None or any(role.name == "runner" and role.confidence == LOW
                                      for role in self.roles):
            gaps.append("runner")
        return gaps


def discover(root: Path, excludes: tuple[str, ...] | None = None) -> Discovery:
    project = scan_project(root, excludes if excludes is not None else Config().all_excludes)
    types = Types(project)
    execution = ExecutionDiscovery(project, types).run()
    chains = ChainDiscovery(project, types, execution.candidates)
    paths = chains.paths_from_routes()
    runner = choose_runner(paths, execution.candidates)
    chain = choose_chain(paths, runner)
    if not chain.services and runner is not None:
        upward = choose_chain(chains.paths_upward(runner), runner, upward=True)
        chain = upward if upward.services else chain
    chains.widen_entries(chain, execution.candidates)
    governance = find_governance(project, types, runner, tuple(chain.runner_roles)) \
        if runner is not None else Governance()
    discovery = Discovery(
        project=project,
        execution=execution,
        runner=runner,
        governance=governance,
        chain=chain,
        route_modules=chain.route_modules or _modules_with_routes(chains),
        registry_module=_registry_module(types, runner, governance),
        metric_fields=_metric_fields(types, governance),
        extra_receivers=_extra_receivers(execution),
    )
    discovery.roles = _roles(discovery)
    discovery.notes = _notes(discovery)
    return discovery


def _modules_with_routes(chains: ChainDiscovery) -> list[SourceModule]:
    found: list[SourceModule] = []
    for module, _ in chains.routes():
        if module not in found:
            found.append(module)
    return found


def _registry_module(types: Types, runner: RunnerCandidate | None,
                     governance: Governance) -> SourceModule | None:
    """Where the metrics update is defined; else the class of the object plugins are looked up
    in (`self._registry.get(name)`)."""
    if governance.metrics is not None and governance.metrics.definition is not None:
        return governance.metrics.definition
    if runner is None:
        return None
    owner = runner.owner
    for node in ast.walk(runner.function):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            value = types.infer(node.func.value, runner.module, runner.function, owner)
            if value is not None and value.is_instance and value.cls is not None \
                    and "regist" in value.cls.name.lower():
                return value.cls.module
    return None


def _metric_fields(types: Types, governance: Governance) -> MetricFields | None:
    """The registry's names for the checklist's metrics, from the metrics update's definition."""
    found = governance.metrics
    if found is None or found.definition is None:
        return None
    module = found.definition
    if found.owner_class:
        owner = next((info for info in types.classes
                      if info.module is module and info.name == found.owner_class), None)
        function = owner.methods.get(found.name) if owner is not None else None
    else:
        function = module.definitions.get(found.name)
    if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None
    fields = read_metric_fields(types, module, function)
    return fields if fields.found else None


def _extra_receivers(execution: ExecutionFindings) -> tuple[str, ...]:
    """Receiver patterns the defaults miss, so every execution site found is recognised."""
    config = Config()
    if execution.interface is not None:
        config = config._replace(plugin_base_classes=tuple(dict.fromkeys(
            (execution.interface.base.name, *config.plugin_base_classes))))
    patterns: dict[str, None] = {}
    recognizers: dict[int, PluginNames] = {}
    for site in execution.sites:
        module = site.module
        recognizer = recognizers.setdefault(id(module), PluginNames(module.tree, config, module.parents))
        if recognizer.is_plugin(site.receiver, scope=site.function):
            continue
        for pattern in receiver_patterns(site):
            patterns[pattern] = None
    return tuple(patterns)


def receiver_patterns(site: ExecutionSite) -> list[str]:
    """`tool = self._catalog.lookup(name)` -> `*catalog.lookup()` and `tool`;
    `self._tools[name]` -> `*_tools[]`; `self._tool` -> `*._tool`."""
    receiver = site.receiver
    if isinstance(receiver, ast.Await):
        receiver = receiver.value
    found: list[str] = []
    if isinstance(receiver, ast.Name):
        if receiver.id not in GENERIC_NAMES and len(receiver.id) > 2:
            found.append(receiver.id)
        for value in _bound_values(site, receiver.id):
            found.extend(_value_patterns(value))
    else:
        found.extend(_value_patterns(receiver))
    return found


def _value_patterns(value: ast.AST) -> list[str]:
    if isinstance(value, ast.Await):
        value = value.value
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute):
        owner = value.func.value
        owner_name = owner.attr if isinstance(owner, ast.Attribute) else owner.id \
            if isinstance(owner, ast.Name) else ""
        if owner_name:
            return [f"*{owner_name.lstrip('_')}.{value.func.attr}()"]
        return [f"*{value.func.attr}()"]
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name):
        return [f"*{value.func.id}()"]
    if isinstance(value, ast.Subscript):
        rendered = render(value.value)
        if rendered:
            return [f"*{rendered.rsplit('.', 1)[-1]}[]"]
    if isinstance(value, ast.Attribute):
        return [f"*.{value.attr}"]
    return []


def _bound_values(site: ExecutionSite, name: str) -> list[ast.AST]:
    values = []
    for node in ast.walk(site.function):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name
                                                for t in node.targets):
            values.append(node.value)
        elif isinstance(node, (ast.For, ast.AsyncFor)) and isinstance(node.target, ast.Name) \
                and node.target.id == name:
            iterable = node.iter
            if isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Attribute) \
                    and iterable.func.attr == "values":
                iterable = iterable.func.value
            values.append(ast.Subscript(value=iterable, slice=ast.Constant(0), ctx=ast.Load()))
    return values


# -- the report ----------------------------------------------------------------------------

def _roles(discovery: Discovery) -> list[Role]:
    roles = [_method_role(discovery), _base_role(discovery), _runner_role(discovery)]
    governance = discovery.governance
    for label, found in (("input validator", governance.input_validator),
                         ("output validator", governance.output_validator),
                         ("error envelope builder", governance.envelope),
                         ("metrics update", governance.metrics)):
        roles.append(_governance_role(label, found))
    roles.append(_chain_role(discovery))
    roles.append(_routes_role(discovery))
    roles.append(_registry_role(discovery))
    roles.append(_metric_fields_role(discovery))
    return roles


def _metric_fields_role(discovery: Discovery) -> Role:
    fields = discovery.metric_fields
    metrics = discovery.governance.metrics
    if fields is None or metrics is None:
        return Role("metric fields", "", MISSING, "the metrics update's writes could not be read; "
                    "the checklist's names stay")
    pairs = [("success", fields.success), ("error", fields.error), ("last time", fields.last_time),
             ("average", fields.average), ("last used", fields.last_used), ("state", fields.state)]
    value = ", ".join(f"{label}: {name}" for label, name in pairs if name)
    if fields.states:
        value += f"; states {', '.join(fields.states)}"
    unread = [label for label, name in pairs if not name]
    reason = "read from what the metrics update writes (an increment per outcome branch, the " \
             "duration, an average, a clock, an enum member)"
    if unread:
        reason += f"; not read: {', '.join(unread)} (the checklist's names stay)"
    return Role("metric fields", value, MEDIUM if unread else HIGH, reason,
                (metrics.definition_location,))


def _method_role(discovery: Discovery) -> Role:
    execution = discovery.execution
    if not execution.method:
        return Role("execution method", "", MISSING,
                    "no method is called on plugin objects (set `execution_methods`)")
    governed = any(site.governed for site in execution.sites)
    sites = tuple(site.location for site in execution.sites[:5])
    if execution.interface is not None:
        base = execution.interface.base
        reason = f"declared by {base.name}, implemented by {len(execution.interface.implementations)} " \
                 f"plugin class(es); called on plugin objects at {len(execution.sites)} place(s)"
        confidence = HIGH if governed else MEDIUM
        return Role("execution method", execution.method, confidence,
                    reason + ("" if governed else ", never inside `try/except Exception`"),
                    (base.module.location(base.methods.get(execution.method, base.node)), *sites))
    return Role("execution method", execution.method, MEDIUM if governed else LOW,
                "called on objects named like plugins (no plugin base class found)", sites)


def _base_role(discovery: Discovery) -> Role:
    interface = discovery.execution.interface
    if interface is None:
        return Role("plugin base class", "", MISSING,
                    "no class whose subclasses implement the execution method")
    in_package = interface.in_plugin_package
    confidence = HIGH if interface.abstract and in_package else MEDIUM if interface.abstract or in_package \
        else LOW
    names = ", ".join(info.name for info in interface.implementations[:4])
    reason = (f"{'abstract ' if interface.abstract else ''}base of {len(interface.implementations)} "
              f"plugin class(es) ({names}{', ...' if len(interface.implementations) > 4 else ''})")
    return Role("plugin base class", interface.base.name, confidence, reason,
                (interface.base.location,))


def _runner_role(discovery: Discovery) -> Role:
    runner = discovery.runner
    if runner is None:
        return Role("runner", "", MISSING, "no function executes plugins")
    reached = bool(discovery.chain.paths)
    twins = discovery.chain.runner_roles
    helpers = runner_helpers(runner, discovery.execution.candidates)
    others = len(discovery.execution.candidates) - 1 - len(twins) - len(helpers)
    parts = []
    if runner.governed:
        parts.append("executes plugins inside `try/except Exception`")
    else:
        parts.append("executes plugins, but not inside `try/except Exception`")
    if reached:
        parts.append("reached from the API" if not discovery.chain.upward else "held by the services")
    if twins:
        parts.append("its sync or async twin, which the last service calls too, is a runner "
                     "role as well (`runner.also`)")
    if helpers:
        parts.append(f"with its own helper(s) {', '.join(helper.label for helper in helpers)}, "
                     "which only the runner calls")
    if others:
        parts.append(f"{others} other function(s) also execute plugins (bypasses to fix?)")
    confidence = HIGH if runner.governed and (reached or not others) else \
        MEDIUM if runner.governed or reached else LOW
    value = f"{runner.label} in {runner.module.name}"
    if twins:
        value += ", also " + ", ".join(f"{twin.label} in {twin.module.name}" for twin in twins)
    evidence = (runner.module.location(runner.function),
                *(twin.module.location(twin.function) for twin in twins))
    return Role("runner", value, confidence, "; ".join(parts), evidence)


def runner_helpers(runner: RunnerCandidate, candidates: list[RunnerCandidate]) -> list[RunnerCandidate]:
    """The candidates that are the runner's own helpers, not bypasses: functions of its module
    that the runner names (calls, or hands to an executor), or that such a helper names, and
    that no other module names (`SandboxExecutor._run`, a `_drive_in_thread` the runner hands
    to `run_in_executor`)."""
    same_module = [candidate for candidate in candidates
                   if candidate.module is runner.module and candidate.function is not runner.function
                   and candidate.callers <= 1]
    helpers: dict[int, RunnerCandidate] = {}
    frontier = [runner.function]
    while frontier:
        named = {last_name(node) for node in ast.walk(frontier.pop())
                 if isinstance(node, (ast.Name, ast.Attribute))}
        for candidate in same_module:
            if id(candidate) not in helpers and candidate.function.name in named:
                helpers[id(candidate)] = candidate
                frontier.append(candidate.function)
    return list(helpers.values())


def _governance_role(label: str, found: Found | None) -> Role:
    if found is None:
        return Role(label, "", MISSING, "the runner calls none, and no function is named like one")
    where = f" ({found.owner_class}.{found.name})" if found.owner_class else ""
    evidence = tuple(item for item in (found.call_location, found.definition_location) if item)
    return Role(label, found.name + where, found.confidence, found.reason, evidence)


def _chain_role(discovery: Discovery) -> Role:
    chain = discovery.chain
    if not chain.paths:
        return Role("service chain", "", MISSING,
                    "no route or service reaches the runner through attributes the source shows")
    names = [layer_label(info) for info in chain.services]
    runner = discovery.runner.label if discovery.runner else "?"
    top = "API -> " if not chain.upward else ""
    value = top + " -> ".join([*names, runner])
    evidence = tuple(location for locations in chain.evidence for location in locations[:1])
    how = {hop.how for path in chain.paths for hop in path.hops}
    if chain.upward:
        return Role("service chain", value, MEDIUM,
                    "rebuilt upward from the runner: no API route reaches it", evidence)
    wired = any("wiring" in item or "injected" in item for item in how)
    reason = f"followed from {len(chain.route_modules)} route module(s) through " \
             f"{len(names)} service(s)" + (", one hop through injected wiring" if wired else "")
    size_note = "" if len(names) == 3 else f"; the checklist has 3 services, this chain has {len(names)}"
    return Role("service chain", value, HIGH if len(names) == 3 else MEDIUM, reason + size_note, evidence)


def _routes_role(discovery: Discovery) -> Role:
    modules = discovery.route_modules
    if not modules:
        return Role("route modules", "", MISSING, "no FastAPI route found")
    value = ", ".join(module.name for module in modules)
    if discovery.chain.paths and not discovery.chain.upward:
        return Role("route modules", value, HIGH, "FastAPI routes that reach the runner",
                    tuple(module.relative for module in modules))
    return Role("route modules", value, LOW, "FastAPI routes, not connected to the runner",
                tuple(module.relative for module in modules))


def _registry_role(discovery: Discovery) -> Role:
    module = discovery.registry_module
    if module is None:
        return Role("registry module", "", MISSING, "no metrics update or plugin registry found")
    metrics = discovery.governance.metrics
    if metrics is not None and metrics.definition is module:
        return Role("registry module", module.name, metrics.confidence,
                    f"defines the metrics update `{metrics.name}`", (metrics.definition_location,))
    return Role("registry module", module.name, MEDIUM, "the runner looks plugins up in its class",
                (module.relative,))


def _notes(discovery: Discovery) -> list[str]:
    project = discovery.project
    notes = []
    relevant = _role_packages(discovery)
    namespace = [name for name in project.namespace_packages if name in relevant]
    if namespace:
        notes.append("namespace packages (no __init__.py): " + ", ".join(namespace))
    hidden = [name for name in project.hidden_namespace_packages if name in relevant]
    if hidden:
        notes.append("import-linter does not see modules in " + ", ".join(hidden) + " (a directory "
                     "without __init__.py inside a regular package): add an __init__.py there, or "
                     "the contracts cannot check those modules")
    runner = discovery.runner
    if runner is not None and not runner.governed and discovery.governance.envelope is None:
        notes.append(f"{runner.label} executes plugins without `try/except Exception`, validation or "
                     "an error envelope: if the codebase has no governed runner yet (Phase 11), add one "
                     "below the services and run `phase12 init` again")
    if project.unreadable:
        shown = ", ".join(project.unreadable[:3]) + (", ..." if len(project.unreadable) > 3 else "")
        notes.append(f"{len(project.unreadable)} file(s) could not be parsed and were skipped: {shown}")
    return notes


def _role_packages(discovery: Discovery) -> set[str]:
    modules = [*discovery.route_modules, *(info.module for info in discovery.chain.services)]
    if discovery.runner is not None:
        modules.append(discovery.runner.module)
        modules.extend(twin.module for twin in discovery.chain.runner_roles)
    names = set()
    for module in modules:
        parts = module.name.split(".")
        names.update(".".join(parts[:end]) for end in range(1, len(parts)))
    return names
