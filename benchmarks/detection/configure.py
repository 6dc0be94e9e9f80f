"""The two configurations a corpus is measured with.

- **adopted**: `phase12 init --write` on the compliant tree and nothing else, what a user has
  after the first minute (an existing `[tool.phase12]` or import-linter table is removed first,
  so init starts from nothing).
- **configured**: a `[tool.phase12]` table and import-linter contracts written from the corpus's
  `roles.json`, what a user writes after reading the docs. `roles.json` is written for a reader
  and its value shapes differ between corpora (a name or a `{module, qualname}` object, a list
  or a map), so this reads it as a reader would. Every role the configuration model cannot
  express is returned as a gap, with what was lost: a gap is a finding about the product.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomlkit

CHECKLIST_METRICS = ("success_count", "error_count", "last_execution_time_ms",
                     "avg_execution_time_ms", "last_used", "state")
# roles.json layer names, per corpus style, for the checklist's three services.
SERVICE_LAYERS = {
    "analysis": ("analysis", "analysis_service"),
    "job_management": ("jobs", "job_service", "job_management"),
    "plugin_management": ("plugin_management", "plugin_service"),
}
DELEGATE_CALL = re.compile(r"self\.(_?\w+)\.(\w+)\(")
PHASE11_TEST_DIRS = ("phase11", "phase_11")


@dataclass
class Configuration:
    """A `[tool.phase12]` table, import-linter contracts, and what could not be said."""

    phase12: dict[str, Any] = field(default_factory=dict)
    importlinter: dict[str, Any] = field(default_factory=dict)
    gaps: list[str] = field(default_factory=list)
    source_roots: list[str] = field(default_factory=list)


# -- reading roles.json ---------------------------------------------------------------------------

def _entries(value: Any) -> list[dict[str, Any]]:
    """A role's entries as `{module, qualname, ...}` dicts, whatever shape it was written in."""
    if value is None:
        return []
    if isinstance(value, list):
        return [entry for item in value for entry in _entries(item)]
    if isinstance(value, str):
        module, _, name = value.rpartition(".") if "." in value else ("", "", value)
        return [{"module": module, "qualname": name}]
    if isinstance(value, dict) and "qualname" in value:
        return [value]
    if isinstance(value, dict) and "qualnames" in value:
        return [{**value, "qualname": name} for name in value["qualnames"]]
    return []


def _last(qualname: str) -> str:
    return qualname.rsplit(".", 1)[-1]


def _owner(qualname: str) -> str:
    return qualname.rsplit(".", 1)[0] if "." in qualname else ""


def _name(value: Any) -> str:
    entries = _entries(value)
    return _last(entries[0]["qualname"]) if entries else ""


def _dotted_value(value: str) -> str:
    """`Lifecycle.SUCCEEDED` -> `SUCCEEDED`; `prism.plugins.catalog.PluginState` -> `PluginState`."""
    return value.rsplit(".", 1)[-1]


# -- the configured table -------------------------------------------------------------------------

def configured(roles: dict[str, Any], project: Path) -> Configuration:
    """The configuration an expert writes from `roles.json`, with the gaps of the model."""
    result = Configuration(source_roots=list(roles.get("source_roots") or []))
    table = result.phase12
    gaps = result.gaps
    _plugins(roles, table, gaps)
    _runner(roles, table, gaps, project, result.source_roots)
    _validation_and_envelope(roles, table, gaps)
    _metrics(roles, table, gaps)
    _chain(roles, table, gaps)
    _api(roles, table, gaps)
    _tests_and_compat(roles, project, table, result.source_roots)
    for key, what in (("composition_roots", "composition roots (who wires the runner in)"),
                      ("dependency_aliases", "FastAPI dependency aliases"),
                      ("runner_injection", "the runner injected as a callable"),
                      ("error_pair", "services returning a (result, error) pair"),
                      ("outcomes", "an outcome enum passed to the metrics update"),
                      ("api_error_helper", "a helper raising HTTPException for the routes")):
        if roles.get(key):
            gaps.append(f"{key}: no key for {what}; left to the rules' own reading of the code")
    result.importlinter = _contracts(roles)
    return result


def _plugins(roles: dict[str, Any], table: dict[str, Any], gaps: list[str]) -> None:
    bases = [_last(entry["qualname"]) for key in ("plugin_base_class", "legacy_plugin_base_class")
             for entry in _entries(roles.get(key))]
    if bases:
        table["plugin_base_classes"] = bases
    if roles.get("execution_methods"):
        table["execution_methods"] = list(roles["execution_methods"])
    if roles.get("plugin_classes"):
        gaps.append("plugin_classes: no key; plugin classes are recognised by their base class")


def _module_of(dotted: str, project: Path, source_roots: list[str]) -> str:
    """The module part of a dotted name (`pkg.engine.core.Engine` -> `pkg.engine.core`): the
    longest prefix that is a module or package of the project."""
    parts = dotted.split(".")
    for end in range(len(parts), 0, -1):
        relative = Path(*parts[:end])
        for root in source_roots or ["."]:
            base = project / root / relative
            if base.with_suffix(".py").is_file() or (base / "__init__.py").is_file() or base.is_dir():
                return ".".join(parts[:end])
    return dotted


def _runner(roles: dict[str, Any], table: dict[str, Any], gaps: list[str], project: Path,
            source_roots: list[str]) -> None:
    entries = _entries(roles.get("runner"))
    if not entries:
        return
    classes = [entry for entry in entries if entry.get("kind") == "class"]
    entry_points = _runner_entry_points(roles)
    first = entry_points[0]
    runner: dict[str, Any] = {"module": first["module"]}
    owner = _owner(first["qualname"]) or (_last(classes[0]["qualname"]) if classes else "")
    if first.get("kind") == "class":
        runner.update({"class": _last(first["qualname"])})
    elif owner:
        runner.update({"class": owner, "method": _last(first["qualname"])})
    else:
        runner.update({"class": "", "function": first["qualname"]})
    held = [_last(name) for name in (roles.get("runner_injection") or {}).get("held_as", [])]
    held += _layer_holds(roles, "plugin_management", "plugin_service")
    if held:
        runner["attributes"] = sorted(set(held))
    # Every other entry point is a runner role too: a sync and an async twin, a function in
    # another module.
    also = [f"{entry['module']}:{entry['qualname']}" for entry in entry_points[1:]]
    if also:
        runner["also"] = also
    table["runner"] = runner
    helpers = [entry["qualname"] for entry in entries if entry.get("kind") == "helper"]
    if helpers:
        gaps.append(f"runner: no key for the runner's helpers ({', '.join(helpers)})")
    sanctioned = _entries(roles.get("sanctioned_executors"))
    guarded = [entry for entry in sanctioned if entry.get("allowed_callers")]
    modules = sorted({entry["module"] for entry in sanctioned
                      if entry["module"] != first["module"] and not entry.get("allowed_callers")})
    if modules:
        table["sanctioned_modules"] = modules
    if guarded:
        table["sanctioned_executors"] = {
            f"{entry['module']}:{entry['qualname']}":
                sorted({_module_of(caller, project, source_roots) for caller in entry["allowed_callers"]})
            for entry in guarded}


def _runner_entry_points(roles: dict[str, Any]) -> list[dict[str, Any]]:
    """The runner's entries (`roles.json` "runner" without its class and helpers; all of it
    when it lists nothing else)."""
    entries = _entries(roles.get("runner"))
    return [entry for entry in entries if entry.get("kind") not in ("class", "helper")] or entries


def _layer_holds(roles: dict[str, Any], *layer_names: str) -> list[str]:
    """The attribute through which a layer holds the next one (`holds` or its `calls` text)."""
    for layer in roles.get("chain") or []:
        if layer.get("layer") in layer_names:
            held = re.findall(r"self\.(_?\w+)", str(layer.get("holds", "")))
            held += [match[0] for match in DELEGATE_CALL.findall(str(layer.get("calls", "")))]
            return held
    return []


def _validation_and_envelope(roles: dict[str, Any], table: dict[str, Any], gaps: list[str]) -> None:
    validation = {key: _name(roles.get(key)) for key in ("input_validator", "output_validator")
                  if _name(roles.get(key))}
    if validation:
        table["validation"] = validation
    builder = _entries(roles.get("envelope_builder"))
    envelope: dict[str, Any] = {}
    if builder:
        envelope = {"function": _last(builder[0]["qualname"]), "module": builder[0]["module"]}
    if roles.get("envelope_fields"):
        envelope["fields"] = list(roles["envelope_fields"])
    if envelope:
        table["envelope"] = envelope


def _metrics(roles: dict[str, Any], table: dict[str, Any], gaps: list[str]) -> None:
    metrics: dict[str, Any] = {}
    updates = _entries(roles.get("metrics_update"))
    if updates:
        metrics["function"] = _last(updates[0]["qualname"])
        if len(updates) > 1:
            gaps.append("metrics_update: one metrics function per configuration; "
                        + ", ".join(entry["qualname"] for entry in updates[1:]) + " not configured")
    if isinstance(roles.get("metrics_update"), dict) and roles["metrics_update"].get("helpers"):
        gaps.append("metrics_update: no key for the registry's helper methods ("
                    + ", ".join(roles["metrics_update"]["helpers"]) + ")")
    registry = roles.get("registry_module")
    if registry:
        metrics["registry_module"] = registry
    fields = roles.get("metric_fields")
    if isinstance(fields, dict):
        named = {key: str(fields.get(key, key)) for key in CHECKLIST_METRICS}
    elif isinstance(fields, list):
        named = {key: key for key in CHECKLIST_METRICS}
    else:
        named = {}
    if named:
        metrics["success_field"] = named["success_count"]
        metrics["error_field"] = named["error_count"]
        metrics["fields"] = [named[key] for key in CHECKLIST_METRICS[2:]]
    states = _states(roles.get("states"))
    if states:
        metrics["states"] = states
    if metrics:
        table["metrics"] = metrics


def _states(states: Any) -> list[str]:
    if not isinstance(states, dict):
        return []
    success = states.get("SUCCESS") or states.get("success")
    error = states.get("ERROR") or states.get("error")
    return [_dotted_value(str(value)) for value in (success, error) if value]


def _chain(roles: dict[str, Any], table: dict[str, Any], gaps: list[str]) -> None:
    chain = roles.get("chain") or []
    by_layer = {layer.get("layer"): layer for layer in chain}
    services: dict[str, Any] = {}
    for service, names in SERVICE_LAYERS.items():
        layer = next((by_layer[name] for name in names if name in by_layer), None)
        if layer is None:
            continue
        services[service] = _service(layer, chain, gaps)
    if services:
        table["services"] = services
    if chain:
        table["layers"] = {"chain": [layer["module"] for layer in chain]}


def _service(layer: dict[str, Any], chain: list[dict[str, Any]], gaps: list[str]) -> dict[str, Any]:
    symbol = str(layer.get("symbol", ""))
    entries = [str(layer[key]) for key in ("entry", "async_entry", "sync_symbol") if layer.get(key)]
    entry_methods = sorted({_last(re.split(r"[ (]", entry)[0]) for entry in entries} - {""})
    config: dict[str, Any] = {"module": layer["module"]}
    owner = symbol.split(".")[0]
    if owner[:1].isupper():
        config["class"] = owner
    else:
        # A layer of module-level functions: its entry methods are those functions.
        config["class"] = ""
        entry_methods = sorted(set(entry_methods) | {str(layer[key]) for key in ("symbol", "sync_symbol")
                                                     if layer.get(key) and "." not in str(layer[key])})
    if "." in symbol and owner[:1].isupper():
        entry_methods = sorted(set(entry_methods) | {_last(symbol)})
    if entry_methods:
        config["entry_methods"] = entry_methods
    calls = DELEGATE_CALL.findall(str(layer.get("calls", "")))
    attributes = {attribute for attribute, _ in calls}
    attributes |= set(re.findall(r"self\.(_?\w+)", str(layer.get("holds", ""))))
    if attributes:
        config["delegate_attributes"] = sorted(attributes)
    below = chain[chain.index(layer) + 1] if layer in chain and chain.index(layer) + 1 < len(chain) else {}
    methods = {method for _, method in calls}
    methods |= {_last(re.split(r"[ (]", str(below[key]))[0])
                for key in ("entry", "async_entry") if below.get(key)}
    if methods - {""}:
        config["delegate_methods"] = sorted(methods - {""})
    return config


def _api(roles: dict[str, Any], table: dict[str, Any], gaps: list[str]) -> None:
    chain = roles.get("chain") or []
    api_layer = next((layer for layer in chain if layer.get("layer") == "api"), None)
    api: dict[str, Any] = {}
    contract = roles.get("api_contract") or roles.get("api") or {}
    modules = [contract["module"]] if contract.get("module") else []
    if api_layer and not modules:
        modules.append(api_layer["module"])
    for entry in roles.get("api_entry_points") or []:
        if entry.get("module") and entry.get("route", "").split(" ")[0] in ("POST", "PUT", "GET"):
            modules.append(entry["module"])
    if modules:
        api["route_modules"] = sorted(set(modules))
    success = roles.get("success_shape") or re.findall(r'"(\w+)":', str(contract.get("success", "")))
    if success:
        api["success_keys"] = list(success)
    status = re.search(r"status_code=(\d{3})", str(contract.get("error", "")))
    if status:
        api["error_status"] = int(status.group(1))
    # Added to the defaults: knowing one more way the routes reach the service loses nothing.
    names: set[str] = {"analysis_service", "AnalysisService", "get_analysis_service"}
    if api_layer:
        calls = str(api_layer.get("calls", ""))
        names |= {name for pair in re.findall(r"(\w+)\s*[:=]\s*\w*Depends\((\w+)\)", calls)
                  for name in pair}
        names |= set(re.findall(r"(\w+)\(\)\.", calls))
        names |= set(re.findall(r"\w+", str(api_layer.get("holds", ""))))
    for alias in roles.get("dependency_aliases") or []:
        provided = str(alias.get("provides", ""))
        if any(layer.get("module") and provided.startswith(layer["module"]) for layer in chain[1:2]):
            names |= {alias.get("name", ""), alias.get("provider", ""), _last(provided)}
    analysis = next((layer for layer in chain if layer.get("layer") in SERVICE_LAYERS["analysis"]), None)
    if analysis and str(analysis.get("symbol", ""))[:1].isupper():
        names.add(str(analysis["symbol"]).split(".")[0])
    if names - {""}:
        api["service_names"] = sorted(names - {""})
    if api:
        table["api"] = api


def _tests_and_compat(roles: dict[str, Any], project: Path, table: dict[str, Any],
                      source_roots: list[str]) -> None:
    test_roots = roles.get("test_roots") or ["tests"]
    root = test_roots[0]
    if (project / root).is_dir():
        own = sorted(path.relative_to(project / root).as_posix()
                     for path in (project / root).rglob("test_*.py")
                     if not set(path.relative_to(project / root).parts) & set(PHASE11_TEST_DIRS))
        if own:
            table["tests"] = {"root": root, "required": own}
    if (project.parent / "phase11").is_dir():
        table["compat"] = {"against": "../phase11", "paths": source_roots or ["."]}


def _contracts(roles: dict[str, Any]) -> dict[str, Any]:
    """`strict_layers` on the chain and `sole_gateway` around the runner, as the docs show."""
    chain = roles.get("chain") or []
    packages = roles.get("packages") or sorted({layer["module"].split(".")[0] for layer in chain})
    if len(chain) < 2 or not packages:
        return {}
    layers = [layer["module"] for layer in chain]
    runner = layers[-1]
    # The gateway guards every runner role's module, not only the chain's last layer.
    protected = sorted({runner, *(entry["module"] for entry in _runner_entry_points(roles)
                                  if entry.get("module"))})
    roots = [entry if isinstance(entry, str) else entry.get("module", "")
             for entry in roles.get("composition_roots") or []]
    gateways = sorted({layers[-2], *(root for root in roots if root and root != runner)})
    return {
        "root_packages": list(packages),
        "contract_types": ["strict_layers: import_contracts.StrictLayersContract",
                           "sole_gateway: import_contracts.SoleGatewayContract"],
        "contracts": [
            {"id": "execution-chain", "name": "The execution chain, each layer calling the next",
             "type": "strict_layers", "layers": layers},
            {"id": "runner-gateway", "name": "Only plugin management reaches the runner",
             "type": "sole_gateway", "protected_modules": protected, "gateway_modules": gateways},
        ],
    }


# -- writing it -----------------------------------------------------------------------------------

def strip_configuration(project: Path) -> None:
    """Remove `[tool.phase12]` and `[tool.importlinter]` from the project's pyproject.toml."""
    path = project / "pyproject.toml"
    if not path.is_file():
        return
    document = tomlkit.parse(path.read_text(encoding="utf-8"))
    tool = document.get("tool")
    if tool is not None:
        for key in ("phase12", "importlinter"):
            if key in tool:
                del tool[key]
    path.write_text(tomlkit.dumps(document), encoding="utf-8")


def write_configured(project: Path, configuration: Configuration) -> None:
    strip_configuration(project)
    path = project / "pyproject.toml"
    document = tomlkit.parse(path.read_text(encoding="utf-8")) if path.is_file() else tomlkit.document()
    tool = document.setdefault("tool", tomlkit.table(is_super_table=True))
    tool["phase12"] = configuration.phase12
    if configuration.importlinter:
        tool["importlinter"] = configuration.importlinter
    path.write_text(tomlkit.dumps(document), encoding="utf-8")


def write_adopted(project: Path, env: dict[str, str]) -> tuple[str, int]:
    """`phase12 init --write` on the project; returns init's report and exit status."""
    strip_configuration(project)
    done = subprocess.run([sys.executable, "-m", "flake8_phase12", "init", "--write", "."],
                          cwd=project, env=env, capture_output=True, text=True, check=False,
                          timeout=300)
    return done.stdout + done.stderr, done.returncode


def tool_environment(cache_dir: Path, source_roots: list[str], project: Path) -> dict[str, str]:
    """The environment the tools run in: a private configuration cache, the project's source
    roots on PYTHONPATH (as its own tools put them, for lint-imports and pylint's inference)."""
    env = dict(os.environ)
    env["PHASE12_CACHE_DIR"] = str(cache_dir)
    roots = [str(project / root) for root in source_roots] or [str(project)]
    env["PYTHONPATH"] = os.pathsep.join(roots + [env["PYTHONPATH"]] if env.get("PYTHONPATH") else roots)
    env.setdefault("COLUMNS", "400")
    return env
