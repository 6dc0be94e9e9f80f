"""The project's import-linter contracts, run in-process on grimp's import graph.

Why in-process rather than `lint-imports` in a subprocess: `lint-imports` prints rich text only,
while `ContractCheck.metadata` holds the structured violations (importer, imported, chains with
line numbers) that the audit turns into evidence at file:line. Only public or documented pieces
of import-linter are used: `importlinter.api.read_configuration` to read the configuration the
way `lint-imports` does, `Contract(name, session_options, contract_options)` and
`Contract.check(graph, verbose)`, and `grimp.build_graph` for the graph (grimp parses the code;
`flake8_phase12.audit.import_graph` finds the packages without importing them and leaves out the
files the configuration excludes or nothing can parse). The built-in contract classes are looked
up by their documented dotted paths, exactly like import-linter's own `contract_types` strings.

Nothing of the analysed project is imported here. Contract types the project defines itself
(`contract_types` naming a module of the project root or `src/`) are its code, which
`lint-imports` would import: the contracts are then checked in a process of their own
(`flake8_phase12.audit.project_contracts`). The graph is not cached: the audit writes nothing into
the audited project.
"""

from __future__ import annotations

import copy
import dataclasses
import importlib
import json
import pickle
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flake8_phase12.analysis.context import module_matches, path_excluded
from flake8_phase12.audit.files import SourceFile, parse_problem, unreadable
from flake8_phase12.audit.import_graph import GraphError, ImportGraph, build_import_graph
from flake8_phase12.audit.model import AuditFinding, ContractResult
from flake8_phase12.audit.rules import (
    GATEWAY_CONTRACT_BROKEN,
    IMPORT_CONTRACT_BROKEN,
    LAYER_CONTRACT_BROKEN,
    PLUGIN_GATEWAY_CONTRACT_BROKEN,
)
from flake8_phase12.catalog import Rule
from flake8_phase12.config.model import Config

BUILT_IN_CONTRACT_TYPES = {
    "forbidden": "importlinter.contracts.forbidden.ForbiddenContract",
    "layers": "importlinter.contracts.layers.LayersContract",
    "independence": "importlinter.contracts.independence.IndependenceContract",
    "protected": "importlinter.contracts.protected.ProtectedContract",
    "acyclic_siblings": "importlinter.contracts.acyclic_siblings.AcyclicSiblingsContract",
}
CHILD_TIMEOUT = 600.0


@dataclass(frozen=True)
class ContractsConfig:
    """Where the project's import-linter configuration is, and what it holds."""

    file: Path
    session_options: dict[str, Any]
    contracts_options: list[dict[str, Any]]

    @property
    def root_packages(self) -> list[str]:
        roots = self.session_options.get("root_packages")
        if roots is None:
            roots = [self.session_options["root_package"]] if "root_package" in self.session_options else []
        return [roots] if isinstance(roots, str) else list(roots)


@dataclass(frozen=True)
class ContractsOutcome:
    """The import-linter contracts' results, and the errors and notes of checking them."""
    results: tuple[ContractResult, ...] = ()
    errors: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    # GOV001 for files outside the audited path that cannot be parsed (left out of the graph).
    findings: tuple[AuditFinding, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ContractsOutcome:
        """The outcome `to_json` gave; a `KeyError` or `TypeError` if it is no such thing."""
        def finding(values: dict[str, Any]) -> AuditFinding:
            return AuditFinding(**{**values, "evidence": tuple(values["evidence"])})

        results = tuple(
            ContractResult(**{**result, "findings": tuple(map(finding, result["findings"])),
                              "warnings": tuple(result["warnings"])})
            for result in data["results"])
        return cls(results=results, errors=tuple(data["errors"]), notes=tuple(data["notes"]),
                   findings=tuple(map(finding, data["findings"])))


class ContractsConfigError(Exception):
    """The import-linter configuration cannot be used; `str()` is one line naming the file."""


def find_contracts_config(project_root: Path) -> Path | None:
    """The file `lint-imports` would read in `project_root`: setup.cfg, .importlinter, pyproject."""
    for name in ("setup.cfg", ".importlinter"):
        candidate = project_root / name
        if candidate.is_file() and _has_ini_section(candidate):
            return candidate
    pyproject = project_root / "pyproject.toml"
    if pyproject.is_file() and _has_toml_table(pyproject):
        return pyproject
    return None


def _has_ini_section(file: Path) -> bool:
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return any(line.strip() == "[importlinter]" for line in text.splitlines())


def _has_toml_table(file: Path) -> bool:
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return "importlinter" in text


def read_contracts_config(project_root: Path) -> ContractsConfig | None:
    """The project's contracts, or None when it has no import-linter configuration."""
    file = find_contracts_config(project_root)
    if file is None:
        return None
    try:
        from importlinter.api import read_configuration

        data = read_configuration(str(file))
    except FileNotFoundError:
        return None
    except Exception as exc:  # noqa: BLE001 - any parse problem is the user's file, say so
        raise ContractsConfigError(f"{file}: cannot read the import-linter configuration "
                                   f"({_one_line(exc)})") from None
    return ContractsConfig(file, dict(data["session_options"]), list(data["contracts_options"]))


def contract_label(options: dict[str, Any]) -> tuple[str, str]:
    """(id, name) of a contract's options; TOML contracts may lack an id."""
    name = str(options.get("name") or options.get("id") or "unnamed contract")
    return str(options.get("id") or ""), name


def contract_rule(options: dict[str, Any], config: Config) -> Rule:
    """Which GOV rule a contract's violations are: decided by what the contract constrains."""
    if "layers" in options:
        return LAYER_CONTRACT_BROKEN
    gateways = gateway_modules(options)
    if gateways:
        runners = config.runner.modules  # `runner.module` and the modules of `runner.also`
        if runners and any(module_matches(module.rstrip(".*"), runners) for module in gateways):
            return PLUGIN_GATEWAY_CONTRACT_BROKEN
        return GATEWAY_CONTRACT_BROKEN
    return IMPORT_CONTRACT_BROKEN


def gateway_modules(options: dict[str, Any]) -> list[str]:
    for key in ("gateway_modules", "allowed_importers"):
        value = options.get(key)
        if value:
            return [value] if isinstance(value, str) else [str(item) for item in value]
    return []


def run_contracts(project_root: Path, config: Config,
                  known_broken: frozenset[Path] = frozenset()) -> ContractsOutcome:
    """Run every contract of the project's import-linter configuration.

    `known_broken`: files already reported as unparsable (GOV001), left out of the graph."""
    try:
        contracts_config = read_contracts_config(project_root)
    except ContractsConfigError as exc:
        return ContractsOutcome(errors=(str(exc),))
    if contracts_config is None:
        return ContractsOutcome(notes=(
            f"no import-linter configuration in {project_root} (setup.cfg [importlinter], "
            f".importlinter or [tool.importlinter]): no import contracts were checked",))
    if not contracts_config.contracts_options:
        return ContractsOutcome(notes=(f"{contracts_config.file}: no import contracts configured",))
    try:
        declared = declared_contract_types(contracts_config)
    except ContractsConfigError as exc:
        return ContractsOutcome(errors=(str(exc),))
    if any(defined_in_project(dotted, project_root) for dotted in declared.values()):
        # Code of the project: run where it cannot touch the audit, as `lint-imports` would run it.
        return _check_in_child_process(project_root, config, known_broken)
    return check_contracts(contracts_config, project_root, config, known_broken)


def _check_in_child_process(project_root: Path, config: Config,
                            known_broken: frozenset[Path]) -> ContractsOutcome:
    """`check_contracts` in a child Python (`flake8_phase12.audit.project_contracts`). Its inputs
    go pickled (this process trusts itself); only JSON comes back, as it runs the project's code."""
    request = pickle.dumps((str(project_root), config, sorted(str(path) for path in known_broken)))
    try:
        completed = subprocess.run(
            [sys.executable, "-m", "flake8_phase12.audit.project_contracts"], input=request,
            capture_output=True, cwd=project_root, timeout=CHILD_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return ContractsOutcome(errors=(f"{project_root}: the project's own import contract "
                                        f"types could not be checked: {_one_line(exc)}",))
    try:
        return ContractsOutcome.from_json(json.loads(completed.stdout))
    except (ValueError, TypeError, KeyError):
        output = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        return ContractsOutcome(errors=(
            f"{project_root}: the project's own import contract types could not be checked "
            f"(exit status {completed.returncode}): {output[-1] if output else 'no output'}",))


def check_contracts(contracts_config: ContractsConfig, project_root: Path, config: Config,
                    known_broken: frozenset[Path] = frozenset()) -> ContractsOutcome:
    """Build the graph and check every contract, in this process."""
    file = contracts_config.file
    try:
        types = _contract_types(contracts_config)
    except ContractsConfigError as exc:
        return ContractsOutcome(errors=(str(exc),))
    try:
        built = _build_graph(contracts_config, project_root, config, known_broken)
    except ContractsConfigError as exc:
        return ContractsOutcome(errors=(str(exc),))
    locator = ModuleLocator(built.package_dirs, project_root)
    results: list[ContractResult] = []
    errors: list[str] = list(built.unreadable)
    for options in contracts_config.contracts_options:
        result = _check_one(options, types, contracts_config, built.graph, locator, config)
        results.append(result)
        if result.status == "error":
            errors.append(result.message)
    findings, notes = _left_out(built.left_out, project_root)
    return ContractsOutcome(results=tuple(results), errors=tuple(errors),
                            notes=(f"import contracts read from {file}", *notes),
                            findings=findings)


def declared_contract_types(contracts_config: ContractsConfig) -> dict[str, str]:
    """The configuration's `contract_types`: name -> `package.module.Class`."""
    declared = contracts_config.session_options.get("contract_types", [])
    strings: dict[str, str] = {}
    for entry in [declared] if isinstance(declared, str) else declared:
        name, separator, dotted = str(entry).partition(": ")
        if not separator or not dotted.strip():
            raise ContractsConfigError(f"{contracts_config.file}: contract_types entry {entry!r} "
                                       f"must be 'name: package.module.Class' (colon and space)")
        strings[name.strip()] = dotted.strip()
    return strings


def defined_in_project(dotted: str, project_root: Path) -> bool:
    """Whether `package.module.Class` is code of the project: its top-level package lies in the
    project root or its `src/`, where `lint-imports` (run there) would import it from."""
    top = dotted.split(".", 1)[0]
    return any((directory / top).is_dir() or (directory / f"{top}.py").is_file()
               for directory in (project_root, project_root / "src"))


def _contract_types(contracts_config: ContractsConfig) -> dict[str, type]:
    from importlinter import Contract

    strings = {**BUILT_IN_CONTRACT_TYPES, **declared_contract_types(contracts_config)}
    types: dict[str, type] = {}
    for name, dotted in strings.items():
        try:
            module_name, _, class_name = dotted.rpartition(".")
            contract_class = getattr(importlib.import_module(module_name), class_name)
        except (ImportError, AttributeError, ValueError) as exc:
            if name in BUILT_IN_CONTRACT_TYPES:
                continue  # an older import-linter without this built-in: only fails if used
            raise ContractsConfigError(f"{contracts_config.file}: contract type '{name}': cannot "
                                       f"import {dotted} ({_one_line(exc)})") from None
        if not (isinstance(contract_class, type) and issubclass(contract_class, Contract)):
            raise ContractsConfigError(f"{contracts_config.file}: contract type '{name}': "
                                       f"{dotted} is not an import-linter Contract")
        types[name] = contract_class
    return types


def _build_graph(contracts_config: ContractsConfig, project_root: Path, config: Config,
                 known_broken: frozenset[Path]) -> ImportGraph:
    roots = contracts_config.root_packages
    file = contracts_config.file
    if not roots:
        raise ContractsConfigError(f"{file}: import-linter needs root_package or root_packages")
    options = contracts_config.session_options
    root = project_root.resolve()
    patterns = config.configured_excludes

    def excluded(path: Path) -> bool:
        if path in known_broken:
            return True
        try:
            return path_excluded(path.relative_to(root), patterns)
        except ValueError:
            return False  # a package outside the project (installed): nothing excludes it

    try:
        return build_import_graph(
            roots, root, include_external_packages=_true(options.get("include_external_packages")),
            exclude_type_checking_imports=_true(options.get("exclude_type_checking_imports")),
            excluded=excluded)
    except GraphError as exc:
        raise ContractsConfigError(f"{file}: {exc}") from None


def _left_out(left_out: dict[Path, str], project_root: Path
              ) -> tuple[tuple[AuditFinding, ...], tuple[str, ...]]:
    """Files grimp could not read: GOV001 when Python cannot parse them either, else a note."""
    findings: list[AuditFinding] = []
    notes: list[str] = []
    for path, reason in sorted(left_out.items()):
        problem = parse_problem(path)
        if problem:
            relative = ModuleLocator({}, project_root).relative(path)
            findings.append(unreadable(SourceFile(path, relative), problem))
        else:
            notes.append(f"import contracts: {path} left out of the import graph ({reason})")
    return tuple(findings), tuple(notes)


def _true(value: object) -> bool:
    return str(value).lower() == "true"


def _check_one(options: dict[str, Any], types: dict[str, type], contracts_config: ContractsConfig,
               graph: Any, locator: ModuleLocator, config: Config) -> ContractResult:
    identifier, name = contract_label(options)
    contract_type = str(options.get("type", ""))
    rule = contract_rule(options, config)
    base = {"id": identifier, "name": name, "type": contract_type, "section": rule.section,
            "code": rule.code}
    file = contracts_config.file
    if contract_type not in types:
        known = ", ".join(sorted(types))
        return ContractResult(**base, status="error",
                              message=f"{file}: contract '{name}': unknown type '{contract_type}' "
                                      f"(known: {known}; custom types go in contract_types)")
    contract_options = dict(options)
    try:
        contract = types[contract_type](name=name, session_options=contracts_config.session_options,
                                        contract_options=contract_options)
        check = contract.check(copy.deepcopy(graph), verbose=False)
    # Invalid options, missing modules: the user's config.
    except Exception as exc:  # noqa: BLE001  # pylint: disable=broad-exception-caught
        return ContractResult(**base, status="error",
                              message=f"{file}: contract '{name}' cannot be checked: "
                                      f"{_describe_contract_error(exc)}")
    if check.kept:
        return ContractResult(**base, status="kept", warnings=tuple(check.warnings or ()))
    findings = tuple(ContractFindings(rule, name, identifier, contract_type, options, locator,
                                      file).from_metadata(check.metadata or {}))
    if not findings:
        findings = (ContractFindings(rule, name, identifier, contract_type, options, locator, file)
                    .opaque(_rendered(contract, check)),)
    return ContractResult(**base, status="broken", findings=findings,
                          warnings=tuple(check.warnings or ()))


def _describe_contract_error(exc: BaseException) -> str:
    errors = getattr(exc, "errors", None)
    if isinstance(errors, dict) and errors:
        return "; ".join(f"{key}: {_one_line(value)}" for key, value in errors.items())
    return _one_line(exc)


def _rendered(contract: Any, check: Any) -> tuple[str, ...]:
    """import-linter's own report of a contract whose metadata we do not know."""
    try:
        from importlinter.application.output import console

        with console.capture() as capture:
            contract.render_broken_contract(check)
        return tuple(line.rstrip() for line in capture.get().splitlines() if line.strip())
    # Evidence is a nicety; the finding stands without it.
    except Exception:  # noqa: BLE001  # pylint: disable=broad-exception-caught
        return ()


class ModuleLocator:
    """Maps a module of the graph to its file, relative to the project root."""

    def __init__(self, package_dirs: dict[str, list[Path]], project_root: Path) -> None:
        self._package_dirs = package_dirs
        self._root = project_root.resolve()

    def file_of(self, module: str) -> str:
        root, _, rest = module.partition(".")
        parts = rest.split(".") if rest else []
        for directory in self._package_dirs.get(root, []):
            base = directory.joinpath(*parts) if parts else directory
            for candidate in (base.with_suffix(".py") if parts else None, base / "__init__.py"):
                if candidate is not None and candidate.is_file():
                    return self.relative(candidate)
        return ""

    def relative(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self._root).as_posix()
        except ValueError:
            return path.as_posix()


@dataclass
class ContractFindings:
    """Turns a broken contract's metadata into findings at the importing lines."""

    rule: Rule
    contract: str
    contract_id: str
    contract_type: str
    options: dict[str, Any]
    locator: ModuleLocator
    config_file: Path

    def from_metadata(self, metadata: Any) -> Iterator[AuditFinding]:
        if isinstance(metadata, dict) and "schema_version" in metadata and "violations" in metadata:
            yield from self._ours(metadata)
            return
        if not isinstance(metadata, dict):
            return
        for unit in _units(metadata):
            chains = _chains(unit)
            if chains:
                yield self._finding(_unit_importer(unit, chains), _unit_imported(unit, chains),
                                    chains, description=_route_description(chains), hint="")
        for module in metadata.get("undeclared_modules") or ():
            yield self._at_module(str(module), f"module `{module}` is not declared as a layer")

    def _ours(self, metadata: dict[str, Any]) -> Iterator[AuditFinding]:
        gateways = metadata.get("configuration", {}).get("gateway_modules") or gateway_modules(self.options)
        # A gateway violation names an offending module, which may reach the protected module
        # through other modules; the import to fix is the route's last one. Offenders sharing
        # that import are one finding, at that import, with every route as evidence.
        grouped: dict[tuple[str, ...], list[tuple[dict[str, Any], list[list[dict[str, Any]]]]]] = {}
        for index, violation in enumerate(metadata.get("violations", [])):
            chains = [chain["chain"] for chain in violation.get("chains", []) if chain.get("chain")]
            if not chains:
                continue
            if violation.get("kind") == "gateway":
                last = chains[0][-1]
                key: tuple[str, ...] = ("gateway", str(last["importer"]), str(last["imported"]))
            else:
                key = ("layer", str(index))
            grouped.setdefault(key, []).append((violation, chains))
        for key, members in grouped.items():
            violation, chains = members[0]
            if key[0] == "gateway":
                yield self._gateway_finding(members, gateways)
            else:
                yield self._finding(violation["importer"], violation["imported"], chains,
                                    description=_kind_description(violation, chains),
                                    hint=str(violation.get("hint") or ""), gateways=gateways)
        for module in metadata.get("undeclared_modules") or ():
            yield self._at_module(str(module), f"module `{module}` is not declared as a layer")

    def _gateway_finding(self, members: list[tuple[dict[str, Any], list[list[dict[str, Any]]]]],
                         gateways: Sequence[str]) -> AuditFinding:
        violation, chains = members[0]
        last = chains[0][-1]
        offenders = sorted({str(member["importer"]) for member, _ in members} - {str(last["importer"])})
        description = "directly"
        if offenders:
            shown = ", ".join(f"`{name}`" for name in offenders[:3])
            more = f" and {len(offenders) - 3} more" if len(offenders) > 3 else ""
            verb = "reaches" if len(offenders) == 1 else "reach"
            description += f" ({shown}{more} {verb} it through this import too)"
        routes = [chain for _, member_chains in members for chain in member_chains]
        return self._finding(str(last["importer"]), str(violation["imported"]), [[last], *routes],
                             description=description, hint=str(violation.get("hint") or ""),
                             gateways=gateways, evidence_from=1)

    def _finding(self, importer: str, imported: str, chains: list[list[dict[str, Any]]], *,
                 description: str, hint: str, gateways: Sequence[str] = (),
                 evidence_from: int = 0) -> AuditFinding:
        first = chains[0][0]
        line = next((n for n in first.get("line_numbers", ()) if isinstance(n, int) and n > 0), 0)
        gateway_text = " or ".join(f"`{module}`" for module in (gateways or gateway_modules(self.options)))
        values = {"importer": importer, "imported": imported, "description": description,
                  "contract": self.contract, "gateway": gateway_text or "its gateway",
                  "hint": hint or _default_hint(self.rule), "contract_type": self.contract_type}
        message = self.rule.format_message(**values) if self.rule is not IMPORT_CONTRACT_BROKEN \
            else self.rule.format_message(contract=self.contract, contract_type=self.contract_type,
                                          description=f"`{importer}` reaches `{imported}` {description}")
        path = self.locator.file_of(str(first["importer"]))
        return AuditFinding(
            code=self.rule.code, message=message, path=path, line=line if path else 0,
            anchor=self.contract_id or self.contract, text=f"{importer} -> {imported}",
            evidence=tuple(dict.fromkeys(_render_chain(chain) for chain in chains[evidence_from:])),
            module=str(first["importer"]), contract=self.contract_id or self.contract)

    def _at_module(self, module: str, description: str) -> AuditFinding:
        message = self.rule.format_message(
            importer=module, imported=module, description="(undeclared)", contract=self.contract,
            gateway="its gateway", hint="declare it as a layer or in exhaustive_ignores",
            contract_type=self.contract_type) if self.rule is not IMPORT_CONTRACT_BROKEN else \
            self.rule.format_message(contract=self.contract, contract_type=self.contract_type,
                                     description=description)
        path = self.locator.file_of(module)
        return AuditFinding(code=self.rule.code, message=message, path=path, line=1 if path else 0,
                            anchor=self.contract_id or self.contract, text=f"undeclared {module}",
                            evidence=(description,), module=module,
                            contract=self.contract_id or self.contract)

    def opaque(self, rendered: tuple[str, ...]) -> AuditFinding:
        """A broken contract whose metadata we cannot read: one finding on the config file."""
        message = IMPORT_CONTRACT_BROKEN.format_message(
            contract=self.contract, contract_type=self.contract_type,
            description="see the evidence below")
        return AuditFinding(code=IMPORT_CONTRACT_BROKEN.code, message=message,
                            path=self.config_file.name, line=0,
                            anchor=self.contract_id or self.contract, text="broken",
                            evidence=rendered, contract=self.contract_id or self.contract)


def _units(metadata: dict[str, Any]) -> Iterator[Any]:
    """The violations of a built-in contract's metadata, one per illegal dependency or import."""
    for key in ("invalid_dependencies", "invalid_chains"):
        yield from metadata.get(key) or ()
    for broken in metadata.get("illegal_imports") or ():
        # `protected`: each illegal direct import is its own violation.
        links = getattr(broken, "illegal_links", None)
        if links is None and isinstance(broken, dict):
            links = broken.get("illegal_links")
        for link in links or ():
            yield {"chains": [[link]]}


def _chains(unit: Any) -> list[list[dict[str, Any]]]:
    if not isinstance(unit, dict):
        return []
    found: list[list[dict[str, Any]]] = []
    for route in unit.get("routes") or unit.get("chains") or ():
        if isinstance(route, dict) and isinstance(route.get("chain"), (list, tuple)):
            links = list(route["chain"])
        elif isinstance(route, (list, tuple)):
            links = list(route)
        else:
            continue
        if links and all(isinstance(link, dict) and "importer" in link for link in links):
            found.append(links)
    return found


def _unit_importer(unit: dict[str, Any], chains: list[list[dict[str, Any]]]) -> str:
    return str(unit.get("importer") or unit.get("downstream_module") or chains[0][0]["importer"])


def _unit_imported(unit: dict[str, Any], chains: list[list[dict[str, Any]]]) -> str:
    return str(unit.get("imported") or unit.get("upstream_module") or chains[0][-1]["imported"])


def _route_description(chains: list[list[dict[str, Any]]]) -> str:
    route = chains[0]
    if len(route) == 1:
        return "directly"
    middle = " -> ".join(str(link["imported"]) for link in route[:-1])
    return f"indirectly (via {middle})"


def _kind_description(violation: dict[str, Any], chains: list[list[dict[str, Any]]]) -> str:
    kind = violation.get("kind")
    route = _route_description(chains)
    if kind == "upward":
        return f"{route}: an upward import, a lower layer reaching a higher one"
    if kind == "skip":
        skipped = violation.get("skipped_layers") or [violation.get("skipped_layer")]
        return f"{route}, skipping {', '.join(f'`{layer}`' for layer in skipped if layer)}"
    if kind == "sibling":
        return f"{route}: independent siblings may not import each other"
    return route


def _default_hint(rule: Rule) -> str:
    if rule is LAYER_CONTRACT_BROKEN:
        return "import only the layer directly below and delegate to it"
    return "go through the gateway instead"


def _render_chain(chain: Sequence[dict[str, Any]]) -> str:
    parts = []
    for link in chain:
        numbers = [str(n) for n in link.get("line_numbers", ()) if isinstance(n, int) and n > 0]
        suffix = f" (l.{', '.join(numbers)})" if numbers else ""
        parts.append(f"{link['importer']} -> {link['imported']}{suffix}")
    return "; ".join(parts)


def _one_line(value: object) -> str:
    text = str(value).strip() or type(value).__name__
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return " ".join(lines)[:500]
