"""From what was discovered to the proposed `[tool.phase12]` table and import-linter contracts.

The table holds only what differs from the defaults in `config/model.py`: a key is left out
when its default already fits the codebase (a default module pattern that names the discovered
module and nothing else; default names that include every discovered name). The table is
validated by loading it exactly as the plugins will (`config_from_mapping`).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flake8_phase12.config import config_from_mapping
from flake8_phase12.config.model import Config, ServiceConfig
from flake8_phase12.init.chain import FunctionLayer, layer_label
from flake8_phase12.init.discovery import Discovery
from flake8_phase12.init.inference import ClassInfo
from flake8_phase12.init.patterns import module_pattern, package_pattern, pattern_fits, patterns_fit
from flake8_phase12.init.project import Project, SourceModule

CONTRACT_TYPES = (
    "strict_layers: import_contracts.StrictLayersContract",
    "sole_gateway: import_contracts.SoleGatewayContract",
)
CHAIN_CONTRACT_ID = "execution-chain"
GATEWAY_CONTRACT_ID = "runner-gateway"
SERVICE_ROLES = ("analysis", "job_management", "plugin_management")


@dataclass(frozen=True)
class Contract:
    """One proposed import-linter contract."""
    id: str
    name: str
    type: str
    options: dict[str, Any]

    def as_table(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "type": self.type, **self.options}


@dataclass
class ImportLinterProposal:
    """The proposed import-linter configuration: root packages, contracts, custom types."""
    root_packages: list[str]
    contracts: list[Contract]
    contract_types: tuple[str, ...] = CONTRACT_TYPES


@dataclass
class Proposal:
    """Everything `phase12 init` proposes: the `[tool.phase12]` table, the contracts, notes."""
    table: dict[str, Any]
    config: Config
    importlinter: ImportLinterProposal | None
    notes: list[str] = field(default_factory=list)


def build_proposal(discovery: Discovery) -> Proposal:
    builder = _TableBuilder(discovery)
    table = builder.build()
    config = config_from_mapping(table, source="<phase12 init proposal>",
                                 project_root=discovery.project.root)
    importlinter, notes = _contracts(discovery)
    return Proposal(table, config, importlinter, builder.notes + notes)


def service_roles(count: int) -> dict[str, int]:
    """Which discovered service (top to bottom) plays which role of the checklist's chain:
    the top one is the analysis service, the one holding the runner plugin management, the
    one above it job management; extra layers in between appear in `layers.chain` only."""
    if count <= 0:
        return {}
    if count == 1:
        return {"plugin_management": 0}
    if count == 2:
        return {"analysis": 0, "plugin_management": 1}
    return {"analysis": 0, "job_management": count - 2, "plugin_management": count - 1}


class _TableBuilder:
    def __init__(self, discovery: Discovery) -> None:
        self.discovery = discovery
        self.default = Config()
        self.universe = discovery.project.project_names
        self.table: dict[str, Any] = {}
        self.notes: list[str] = []

    def build(self) -> dict[str, Any]:
        self._execution()
        self._runner()
        self._governance()
        self._services()
        self._api()
        self._layers()
        self._tests()
        self._compat()
        return self.table

    def _tests(self) -> None:
        """The project's own Phase 12 tests, when the checklist's file names are not its names."""
        root = self.discovery.project.root
        found = phase12_test_files(root)
        names = {path.name for path in found}
        if not found or all(name in names for name in self.default.tests.required):
            return
        base = _common_directory([path.parent for path in found], root)
        self._set("tests.root", base.relative_to(root).as_posix() or ".")
        self._set("tests.required", [path.relative_to(base).as_posix() for path in found])
        self.notes.append(f"tests.required lists the project's {len(found)} Phase 12 test file(s); "
                          "the audit files each under the checklist item its name points to")

    def _compat(self) -> None:
        """The Phase 11 baseline, when the project shows one: a sibling folder or a git ref."""
        against = phase11_baseline(self.discovery.project.root)
        if against:
            self._set("compat.against", against)
            self.notes.append(f"compat.against = {against!r}: the Phase 11 baseline "
                              "this project shows; check it is the one to compare with")

    def _set(self, path: str, value: Any) -> None:
        table = self.table
        *parents, key = path.split(".")
        for part in parents:
            table = table.setdefault(part, {})
        table[key] = list(value) if isinstance(value, tuple) else value

    def _pattern_unless_default(self, path: str, default: str, module: SourceModule | None) -> None:
        if module is not None and not pattern_fits(default, module.project_name, self.universe):
            self._set(path, module_pattern(module.project_name, self.universe))

    def _execution(self) -> None:
        discovery, default = self.discovery, self.default
        methods = [discovery.method, *discovery.execution.delegated] if discovery.method else []
        if methods and not set(methods) <= set(default.execution_methods):
            self._set("execution_methods", methods)
        if discovery.extra_receivers:
            self._set("plugin_receivers", [*default.plugin_receivers, *discovery.extra_receivers])
        interface = discovery.execution.interface
        if interface is not None and interface.base.name not in default.plugin_base_classes:
            self._set("plugin_base_classes", [interface.base.name])

    def _runner(self) -> None:
        runner, default = self.discovery.runner, self.default.runner
        if runner is None:
            return
        self._pattern_unless_default("runner.module", default.module, runner.module)
        if runner.owner is not None:
            if runner.owner.name != default.class_name:
                self._set("runner.class", runner.owner.name)
            if runner.function.name != default.method:
                self._set("runner.method", runner.function.name)
        else:
            self._set("runner.function", runner.function.name)
            self._set("runner.class", "")
        chain = self.discovery.chain
        if chain.runner_roles:
            # The runner's twins (`dispatch` beside `dispatch_async`, wherever they are).
            self._set("runner.also", [
                f"{module_pattern(twin.module.project_name, self.universe)}:{twin.label}"
                for twin in chain.runner_roles])
        if chain.services and len(chain.delegate_attributes) == len(chain.services):
            # How the last service holds the runner (`self._runner`, an injected `self._push`).
            self._names_unless_covered("runner.attributes", chain.delegate_attributes[-1],
                                       default.attributes)

    def _governance(self) -> None:
        governance, default = self.discovery.governance, self.default
        for path, found, default_name in (
                ("validation.input_validator", governance.input_validator,
                 default.validation.input_validator),
                ("validation.output_validator", governance.output_validator,
                 default.validation.output_validator),
                ("envelope.function", governance.envelope, default.envelope.function),
                ("metrics.function", governance.metrics, default.metrics.function)):
            if found is not None and found.name != default_name:
                self._set(path, found.name)
        envelope = governance.envelope
        if envelope is not None:
            self._pattern_unless_default("envelope.module", default.envelope.module, envelope.definition)
        self._pattern_unless_default("metrics.registry_module", default.metrics.registry_module,
                                     self.discovery.registry_module)
        self._metric_fields()

    def _metric_fields(self) -> None:
        fields, default = self.discovery.metric_fields, self.default.metrics
        if fields is None:
            return
        if fields.success and fields.success != default.success_field:
            self._set("metrics.success_field", fields.success)
        if fields.error and fields.error != default.error_field:
            self._set("metrics.error_field", fields.error)
        found = (fields.last_time, fields.average, fields.last_used, fields.state)
        names = tuple(name or fallback for name, fallback in zip(found, default.fields))
        if names != default.fields:
            self._set("metrics.fields", names)
        if len(fields.states) >= 2 and set(fields.states) != set(default.states):
            self._set("metrics.states", fields.states)

    def _services(self) -> None:
        chain = self.discovery.chain
        roles = service_roles(len(chain.services))
        if chain.services and len(chain.services) != 3:
            self.notes.append(f"the service chain has {len(chain.services)} layer(s), the checklist 3: "
                              f"{_role_summary(roles, chain.services)}")
        for role in SERVICE_ROLES:
            default: ServiceConfig = getattr(self.default.services, role)
            prefix = f"services.{role}"
            if role not in roles:
                if chain.services:
                    self._set(f"{prefix}.class", "")
                    self._set(f"{prefix}.module", "")
                continue
            index = roles[role]
            info = chain.services[index]
            if info.name != default.class_name:
                self._set(f"{prefix}.class", info.name)
            self._pattern_unless_default(f"{prefix}.module", default.module, info.module)
            self._names_unless_covered(f"{prefix}.entry_methods", chain.entry_methods[index],
                                       default.entry_methods)
            self._names_unless_covered(f"{prefix}.delegate_attributes", chain.delegate_attributes[index],
                                       default.delegate_attributes)
            if default.delegate_methods:
                self._names_unless_covered(f"{prefix}.delegate_methods", chain.delegate_methods[index],
                                           default.delegate_methods)

    def _names_unless_covered(self, path: str, found: tuple[str, ...], default: tuple[str, ...]) -> None:
        found = tuple(name for name in found if name)
        if found and not set(found) <= set(default):
            self._set(path, found)

    def _api(self) -> None:
        discovery, default = self.discovery, self.default.api
        chain = discovery.chain
        if not chain.paths or chain.upward:
            return
        targets = [module.project_name for module in chain.route_modules]
        if not patterns_fit(default.route_modules, targets, self.universe):
            self._set("api.route_modules", [module_pattern(target, self.universe) for target in targets])
        top = chain.services[0].name if chain.services else ""
        known = {*default.service_names, top}
        names = tuple(name for name in chain.access_names if name)
        if names and not set(names) <= known:
            self._set("api.service_names", names)

    def _layers(self) -> None:
        discovery = self.discovery
        chain, runner = discovery.chain, discovery.runner
        if runner is None or not chain.services:
            return
        default = self.default.layers.chain
        modules = [info.module.project_name for info in chain.services] + [runner.module.project_name]
        api_pattern = self._api_layer_pattern()
        fits = len(default) == len(modules) + 1 and all(
            pattern_fits(pattern, module, self.universe) for pattern, module in zip(default[1:], modules))
        routes = [module.project_name for module in chain.route_modules]
        api_fits = not routes or (api_pattern == default[0]
                                  or patterns_fit(default[:1], routes, self.universe))
        if not (fits and api_fits):
            self._set("layers.chain", [api_pattern, *(module_pattern(module, self.universe)
                                                      for module in modules)])

    def _api_layer_pattern(self) -> str:
        chain = self.discovery.chain
        routes = chain.route_modules
        if not routes or chain.upward:
            return self.default.layers.chain[0]
        package = dedicated_route_package(self.discovery)
        if package is not None:
            return package_pattern(package[1], self.universe)
        return module_pattern(routes[0].project_name, self.universe)


PHASE11_NAME = re.compile(r"phase[-_ ]?11\b", re.IGNORECASE)
SKIPPED_TEST_FOLDERS = frozenset({"__pycache__", "node_modules", "site-packages", "venv", ".venv", "build",
                                  "dist"})


def phase12_test_files(root: Path) -> list[Path]:
    """The project's test files (`test_*.py`, `*_test.py`) outside Phase 11 suites."""
    found = []
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).parts
        if any(part.startswith(".") or part in SKIPPED_TEST_FOLDERS or PHASE11_NAME.search(part)
               for part in parts[:-1]):
            continue
        if path.name.startswith("test_") or path.name.endswith("_test.py"):
            found.append(path)
    return found


def _common_directory(directories: list[Path], root: Path) -> Path:
    common = Path(os.path.commonpath([str(directory) for directory in directories]))
    return common if common == root or root in common.parents else root


def phase11_baseline(root: Path) -> str:
    """`../phase11` when a sibling folder so named holds Python code; else a git tag or branch
    named so (`phase11`, `phase-11`, `v11-phase11`); '' when the project shows none."""
    parent = root.parent
    try:
        siblings = sorted(entry for entry in parent.iterdir() if entry.is_dir() and entry != root)
    except OSError:
        siblings = []
    for sibling in siblings:
        if PHASE11_NAME.fullmatch(sibling.name) and next(sibling.rglob("*.py"), None) is not None:
            return f"../{sibling.name}"
    return next((ref for ref in _git_refs(root) if PHASE11_NAME.search(ref)), "")


def _git_refs(root: Path) -> list[str]:
    """Tag and branch names of the repository at `root`, read from `.git` (nothing is run)."""
    git = root / ".git"
    names: list[str] = []
    for kind in ("tags", "heads"):
        folder = git / "refs" / kind
        if folder.is_dir():
            names += sorted(path.relative_to(folder).as_posix()
                            for path in folder.rglob("*") if path.is_file())
    try:
        packed = (git / "packed-refs").read_text(encoding="utf-8")
    except OSError:
        packed = ""
    for line in packed.splitlines():
        _, _, ref = line.partition(" ")
        for prefix in ("refs/tags/", "refs/heads/"):
            if ref.startswith(prefix):
                names.append(ref[len(prefix):])
    return names


def dedicated_route_package(discovery: Discovery) -> tuple[str, str] | None:
    """(import name, project name) of the package that holds every route module and no
    service or runner module, if there is one."""
    routes = discovery.chain.route_modules
    parents = {(module.name.rpartition(".")[0], module.project_name.rpartition(".")[0])
               for module in routes}
    if len(parents) != 1:
        return None
    package, project_package = parents.pop()
    if not package:
        return None
    layer_modules = [info.module.name for info in discovery.chain.services]
    layer_modules.extend(runner_modules(discovery))
    if any(module == package or module.startswith(package + ".") for module in layer_modules):
        return None
    return package, project_package


def _role_summary(roles: dict[str, int], services: list[ClassInfo | FunctionLayer]) -> str:
    parts = [f"{layer_label(services[index])} as {role.replace('_', ' ')}" for role, index in roles.items()]
    return ", ".join(parts) if parts else "no service"


# -- import-linter -------------------------------------------------------------------------

def _contracts(discovery: Discovery) -> tuple[ImportLinterProposal | None, list[str]]:
    runner, chain, project = discovery.runner, discovery.chain, discovery.project
    if runner is None or not chain.services:
        return None, ["no import contracts proposed: the service chain down to the runner is unknown"]
    notes: list[str] = []
    runners = runner_modules(discovery)
    layers = [*(info.module.name for info in chain.services), *runners]
    top_level = [name for name in layers if "." not in name]
    if top_level:
        return None, [f"no import contracts proposed: {', '.join(top_level)} is a top-level module, "
                      "and import-linter checks packages only (move it into a package)"]
    # import-linter's graph holds packages only: a top-level route module cannot be a layer.
    api_layer = [name for name in _api_layer_modules(discovery)
                 if "." in name or any(other.startswith(name + ".") for other in project.modules)]
    hidden = sorted({folder for name in [*api_layer, *layers]
                     for folder in _folders_without_init(project, name)})
    if hidden:
        return None, [f"no import contracts proposed: {', '.join(hidden)} inside a regular package "
                      "has no __init__.py, so import-linter's graph does not see the modules "
                      "in it (add an empty __init__.py there and run `phase12 init` again)"]
    roots = sorted({name.split(".")[0] for name in [*api_layer, *layers]})
    flat = [*api_layer, *layers]
    contracts = [contract for contract in (_chain_contract(discovery, api_layer, runners, roots, notes),
                                           _gateway_contract(discovery, flat, roots))
                 if contract is not None]
    return ImportLinterProposal(roots, contracts), notes


def _chain_contract(discovery: Discovery, api_layer: list[str], runners: list[str],
                    roots: list[str], notes: list[str]) -> Contract | None:
    """The strict_layers contract from the routes down to the runner; None (and a note) when
    two layers share a module."""
    chain, project = discovery.chain, discovery.project
    layers = [*(info.module.name for info in chain.services), *runners]
    flat = [*api_layer, *layers]
    if len(set(flat)) != len(flat):
        notes.append("no strict_layers contract: two layers of the chain share a module")
        return None
    # The runner's twin in a module of its own is the runner's layer too: a sibling.
    lines = ([" : ".join(api_layer)] if api_layer else []) \
        + layers[:len(chain.services)] + [" : ".join(runners)]
    wiring = [name for name in _wiring_modules(discovery, flat) if _in_any(name, roots)]
    options: dict[str, Any] = {"layers": lines}
    ignored = [f"{module} -> {target}" for module in wiring
               for target in sorted(project.imported_modules(project.modules[module]))
               if _in_any(target, flat)]
    if ignored:
        options["ignore_imports"] = ignored
        notes.append("the contracts leave out the imports of " + ", ".join(wiring)
                     + ": it wires the layers together (a composition root)")
    names = [*(["API"] if api_layer else []), *(layer_label(info) for info in chain.services),
             runner_name(discovery)]
    return Contract(CHAIN_CONTRACT_ID, " -> ".join(names), "strict_layers", options)


def _folders_without_init(project: Project, name: str) -> list[str]:
    """The folders between the top-level package of module `name` and the module that lack an
    `__init__.py` while the top-level package has one: grimp, and so import-linter, sees no
    module below such a folder (a namespace package inside a regular one)."""
    module = project.modules.get(name)
    if module is None:
        return []
    depth = name.count(".") - (0 if module.is_package else 1)
    folder = module.path.parent
    folders = [folder] + list(folder.parents)[:depth]
    if not (folders[-1] / "__init__.py").is_file():
        return []  # a namespace root package: grimp walks it as such
    parts = name.split(".")
    return [".".join(parts[:depth + 1 - index]) for index, each in enumerate(folders)
            if not (each / "__init__.py").is_file()]


def _api_layer_modules(discovery: Discovery) -> list[str]:
    """The API layer for import-linter: the dedicated route package, else the route modules."""
    chain = discovery.chain
    if chain.upward or not chain.route_modules:
        return []
    package = dedicated_route_package(discovery)
    if package is not None:
        return [package[0]]
    return [module.name for module in chain.route_modules]


def _wiring_modules(discovery: Discovery, layers: list[str]) -> list[str]:
    """Modules outside the layers that import two or more layers: composition roots."""
    project = discovery.project
    found = []
    for name, module in sorted(project.modules.items()):
        if _in_any(name, layers):
            continue
        imported = {target for target in project.imported_modules(module) if _in_any(target, layers)}
        if len({_layer_of(target, layers) for target in imported}) >= 2:
            found.append(name)
    return found


def _gateway_contract(discovery: Discovery, layers: list[str], roots: list[str]) -> Contract | None:
    runner, chain, project = discovery.runner, discovery.chain, discovery.project
    holder = chain.services[-1]
    if holder.module is runner.module:
        return None
    gateways = [holder.module.name]
    runners = runner_modules(discovery)
    for name, module in sorted(project.modules.items()):
        if name not in gateways and not _in_any(name, layers) and _in_any(name, roots) \
                and set(runners) & project.imported_modules(module):
            gateways.append(name)  # a composition root that builds the runner
    options = {"protected_modules": runners, "gateway_modules": gateways, "transitive": True}
    if any(module.startswith(gateway + ".") for module in runners for gateway in gateways):
        # The runner's own package re-exports it (`runner/__init__.py`): that package is a
        # gateway as a module, not with everything below it (which would contain the runner,
        # a contradiction the contract type rejects).
        options["as_packages"] = False
    return Contract(GATEWAY_CONTRACT_ID,
                    f"Only {layer_label(holder)} imports the runner ({runner_name(discovery)})",
                    "sole_gateway", options)


def runner_modules(discovery: Discovery) -> list[str]:
    """The modules of the runner and of its twins (`runner.also`), the runner first."""
    runner = discovery.runner
    if runner is None:
        return []
    return list(dict.fromkeys([runner.module.name,
                               *(twin.module.name for twin in discovery.chain.runner_roles)]))


def runner_name(discovery: Discovery) -> str:
    runner = discovery.runner
    if runner is None:
        return ""
    return runner.owner.name if runner.owner is not None else runner.function.name


def _in_any(module: str, layers: list[str]) -> bool:
    return any(module == layer or module.startswith(layer + ".") for layer in layers)


def _layer_of(module: str, layers: list[str]) -> str:
    return next(layer for layer in layers if module == layer or module.startswith(layer + "."))
