"""The checklist as data: its 8 sections, their items in the checklist's own words, and what
verifies each item mechanically. This is the ONE table that maps items to checks.

An item is verified by
- rules (`rules`): file rules run by the engine on every file, and project rules (import
  contracts, Phase 11 compatibility, the test command). Every rule of the catalog is listed
  here, under the items it verifies, and nowhere else;
- required tests (`tests`): the default names of the tests the checklist lists under the item;
- roles (`roles`): the modules the item's rules inspect. When no file under the audited path has
  one of those roles, the rules had nothing to look at and the item is reported "not verified"
  rather than "passed".

`tests/audit/test_audit_checklist.py` asserts that every section has at least one mechanical
check and that every rule of the catalog (except the internal section 0) belongs to an item of
its section. Only the three service items of section 6 share rules (the layer rules and
contracts); a finding of those goes to the item of the service whose module it is in.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from flake8_phase12.catalog import Rule
from flake8_phase12.config.model import Config


@dataclass(frozen=True)
class Item:
    """One item of the Phase 12 checklist and what verifies it: rules, contracts, roles, tests."""
    section: int
    title: str
    # The checklist's "Confirm:"/"Check in ...:" bullets for this item.
    confirms: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    tests: tuple[str, ...] = ()
    # Role names understood by `role_patterns`: runner, envelope, registry, api, and
    # service:<key> for `[tool.phase12.services.<key>]`.
    roles: tuple[str, ...] = ()
    # The service (`[tool.phase12.services.<key>]`) whose imports this item owns, so a layer
    # contract violation lands under the service that imports wrongly.
    service: str = ""


ITEMS: tuple[Item, ...] = (
    Item(1, "ToolRunner is the ONLY execution entry point",
         confirms=("No `plugin.run(` appears anywhere except inside `tool_runner.py`",
                   "PluginManagementService calls `ToolRunner.run()`",
                   "JobManagementService calls PluginManagementService",
                   "API calls AnalysisService → JobManagementService → PluginManagementService "
                   "→ ToolRunner"),
         rules=("GOV101", "GOV102", "GOV180", "GOV190"),
         roles=("runner",)),
    Item(2, "Input validated BEFORE plugin execution",
         confirms=("`validate_input_payload(payload)` is called before plugin lookup or execution",
                   "Validation errors produce structured error envelopes",
                   "Empty image rejected", "Missing/invalid MIME rejected",
                   "Undecodable payload rejected"),
         rules=("GOV201", "GOV202", "GOV203", "GOV204", "GOV290"),
         tests=("test_input_validation.py",),
         roles=("runner",)),
    Item(3, "Plugin output validated AFTER execution",
         confirms=("`validate_plugin_output(raw_output)` is called inside try block",
                   "None → error envelope", "Non‑dict → error envelope"),
         rules=("GOV301", "GOV302", "GOV303", "GOV304", "GOV305", "GOV390"),
         tests=("test_output_validation.py",),
         roles=("runner",)),
    Item(4, "All exceptions wrapped in Phase 12 error envelope",
         confirms=("`except Exception as exc:`",
                   "`build_error_envelope(exc, plugin_name)` is used",
                   "No raw exceptions escape ToolRunner"),
         rules=("GOV401", "GOV402", "GOV403", "GOV404", "GOV405", "GOV406", "GOV407",
                "GOV409"),
         roles=("runner",)),
    Item(4, "Error envelope format matches spec",
         confirms=("`error.type`", "`error.message`", "`error.details`", "`error.plugin`",
                   "`error.timestamp`", "`_internal.traceback`"),
         rules=("GOV408", "GOV490"),
         tests=("test_error_envelope_structure.py", "test_unstructured_errors_fail.py"),
         roles=("envelope",)),
    Item(5, "Registry updated AFTER every execution",
         confirms=("`update_execution_metrics(...)` called in `finally` block",),
         rules=("GOV501", "GOV502", "GOV503", "GOV508"),
         roles=("runner",)),
    Item(5, "Metrics updated correctly",
         confirms=("success_count increments on success", "error_count increments on failure",
                   "last_execution_time_ms updated", "avg_execution_time_ms updated",
                   "last_used updated", "state updated to SUCCESS or ERROR"),
         rules=("GOV504", "GOV505", "GOV506", "GOV507", "GOV509", "GOV590"),
         tests=("test_registry_metrics_not_updated_yet.py",),
         roles=("registry",)),
    Item(6, "PluginManagementService delegates to ToolRunner",
         confirms=("No direct plugin.run()", "Only `self._runner.run(...)`"),
         rules=("GOV601", "GOV602", "GOV607", "GOV609", "GOV680", "GOV681", "GOV682", "GOV690"),
         tests=("test_toolrunner_called_for_all_plugins.py", "test_no_direct_plugin_run_calls.py"),
         roles=("service:plugin_management",),
         service="plugin_management"),
    Item(6, "JobManagementService delegates to PluginManagementService",
         confirms=("No ToolRunner usage", "No plugin.run()",
                   "Only `self._plugin_mgmt.execute_plugin(...)`"),
         rules=("GOV603", "GOV604", "GOV607", "GOV609", "GOV680", "GOV681", "GOV682", "GOV690"),
         tests=("test_job_management_uses_plugin_management.py",),
         roles=("service:job_management",),
         service="job_management"),
    Item(6, "AnalysisService delegates to JobManagementService",
         confirms=("No ToolRunner usage", "No plugin.run()",
                   "No PluginManagementService usage directly"),
         rules=("GOV605", "GOV606", "GOV607", "GOV608", "GOV609", "GOV680", "GOV681", "GOV682", "GOV690"),
         roles=("service:analysis",),
         service="analysis"),
    Item(7, "API returns structured success or structured error",
         confirms=('On error → `HTTPException(status_code=400, detail=error["error"])`',
                   'On success → `{ "result": result, "plugin": plugin_name }`'),
         rules=("GOV701", "GOV702", "GOV703", "GOV704"),
         roles=("api",)),
    Item(7, "No Phase 11 API shapes broken",
         confirms=("Same endpoint path", "Same HTTP method", "Same top‑level structure",
                   "Only additive metadata allowed"),
         rules=("GOV705", "GOV790"),
         tests=("test_analyze_endpoint_phase12_contract.py",),
         roles=("api",)),
    Item(8, "No Phase 11 code modified in a breaking way",
         confirms=("Registry additions are additive", "No removed fields", "No renamed fields",
                   "No changed signatures", "No changed return shapes", "No changed exceptions",
                   "No changed API routes", "No changed plugin interfaces"),
         rules=("GOV801", "GOV802", "GOV803", "GOV804", "GOV805", "GOV806", "GOV807", "GOV808",
                "GOV809")),
    Item(8, "All Phase 11 tests still pass",
         confirms=("`pytest server/tests/phase_11`: all must pass",),
         rules=("GOV890", "GOV891")),
)

SECTIONS = tuple(range(1, 9))

# Keywords that place a configured required-test name in a section when it is not one of the
# checklist's own names (the checklist's names come first, see `item_for_test`).
TEST_KEYWORDS: tuple[tuple[str, int], ...] = (
    ("input", 2), ("output", 3), ("envelope", 4), ("unstructured", 4), ("exception", 4),
    ("error", 4), ("registry", 5), ("metric", 5), ("job", 6), ("delegat", 6), ("service", 6),
    ("toolrunner", 6), ("direct", 1), ("endpoint", 7), ("api", 7), ("route", 7), ("analyze", 7),
    ("phase11", 8), ("phase_11", 8), ("compat", 8),
)


def items_of(section: int) -> tuple[Item, ...]:
    return tuple(item for item in ITEMS if item.section == section)


def item_by_title(title: str) -> Item | None:
    wanted = _normal(title)
    for item in ITEMS:
        if _normal(item.title) == wanted:
            return item
    return None


def items_for_rule(rule: Rule) -> tuple[Item, ...]:
    """The items a rule verifies: those listing its code."""
    return tuple(item for item in ITEMS if rule.code in item.rules)


def item_for_test(name: str) -> tuple[Item, str]:
    """The item a required test belongs to, and the file name without any `N:` prefix.

    `"2:test_inputs.py"` puts a test in section 2 explicitly; otherwise the checklist's own
    names, then keywords of the name, then the closest checklist name decide.
    """
    prefix, separator, rest = name.partition(":")
    if separator and prefix.strip().isdigit() and 1 <= int(prefix) <= 8:
        return _test_item_of_section(int(prefix)), rest.strip()
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    for item in ITEMS:
        if base in item.tests:
            return item, name
    lowered = base.lower()
    for keyword, section in TEST_KEYWORDS:
        if keyword in lowered:
            return _test_item_of_section(section), name
    defaults = [test for item in ITEMS for test in item.tests]
    closest = difflib.get_close_matches(base, defaults, n=1, cutoff=0.0)
    for item in ITEMS:
        if closest and closest[0] in item.tests:
            return item, name
    return ITEMS[0], name  # pragma: no cover - get_close_matches with cutoff 0 always answers


def _test_item_of_section(section: int) -> Item:
    """The item of a section that lists tests in the checklist (the last such), else its last."""
    candidates = items_of(section)
    with_tests = [item for item in candidates if item.tests or "GOV891" in item.rules]
    return (with_tests or list(candidates))[-1]


def role_patterns(role: str, config: Config) -> tuple[str, ...]:
    """Module patterns of a role under this configuration ('' patterns removed)."""
    if role == "runner":
        patterns: tuple[str, ...] = config.runner.modules
    elif role == "envelope":
        patterns = (config.envelope.module,)
    elif role == "registry":
        patterns = (config.metrics.registry_module,)
    elif role == "api":
        patterns = config.api.route_modules
    elif role.startswith("service:"):
        patterns = (getattr(config.services, role.partition(":")[2]).module,)
    else:
        patterns = ()
    return tuple(pattern for pattern in patterns if pattern)


def role_description(role: str, config: Config, patterns: tuple[str, ...] | None = None) -> str:
    """`runner.module 'tool_runner'`: the configuration key to change when a role is missing,
    with the patterns no file matched (`patterns`; by default every pattern of the role)."""
    keys = {"runner": "runner.module", "envelope": "envelope.module",
            "registry": "metrics.registry-module", "api": "api.route-modules"}
    key = keys.get(role) or f"services.{role.partition(':')[2].replace('_', '-')}.module"
    if role == "runner" and config.runner.also:
        key += " or runner.also"
    shown = role_patterns(role, config) if patterns is None else patterns
    values = ", ".join(f"'{pattern}'" for pattern in shown) or "(empty)"
    return f"[tool.phase12] {key} = {values}"


def every_pattern_needed(role: str) -> bool:
    """Whether each module pattern of a role must match a file for the role to be found: each
    runner role is governed on its own (a typo in `runner.also` must not pass unseen); one
    route module is enough for the API."""
    return role == "runner"


def _normal(text: str) -> str:
    """Case, spacing, backticks, arrows and non-breaking hyphens do not matter."""
    text = text.replace("\u2011", "-").replace("→", "->").replace("`", "")
    return " ".join(text.lower().split())
