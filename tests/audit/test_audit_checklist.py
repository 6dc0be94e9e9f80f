"""The checklist table: every section is checked mechanically, every rule belongs to an item,
and the items use the checklist's own words."""

from __future__ import annotations

from pathlib import Path

import pytest

from flake8_phase12.audit import checklist
from flake8_phase12.audit.checklist import ITEMS, item_for_test, items_for_rule
from flake8_phase12.catalog import Rule
from flake8_phase12.config.model import TestsConfig
from flake8_phase12.rule_index import all_checks, all_rules

CHECKLIST = Path(__file__).resolve().parents[3] / "shared" / "seed" / "phase12-checklist.md"


def test_every_section_has_at_least_one_mechanical_check():
    file_rule_codes = {rule.code for check in all_checks() for rule in check.rules}
    project_codes = {rule.code for rule in all_rules() if rule.scope == "project"}
    for section in checklist.SECTIONS:
        codes = {rule.code for rule in all_rules()
                 if any(item.section == section for item in items_for_rule(rule))}
        mechanical = codes & (file_rule_codes | project_codes)
        assert mechanical, f"section {section} has no rule, contract or test check"


def test_every_rule_of_the_catalog_belongs_to_an_item_of_its_own_section():
    for rule in all_rules():
        if rule.section == 0:
            continue  # internal: unreadable files and internal errors are not checklist items
        items = items_for_rule(rule)
        assert items, f"{rule.code} ({rule.title}) is in no checklist item: add it to ITEMS"
        assert {item.section for item in items} == {rule.section}, rule.code


def test_only_the_service_items_share_rules_and_they_route_by_service():
    for rule in all_rules():
        items = items_for_rule(rule)
        if len(items) > 1:
            assert all(item.service for item in items), rule.code


def test_the_checklist_table_is_the_only_mapping_of_rules_to_items():
    """A rule says nothing of its item: `audit/checklist.py` lists every code, once per item."""
    assert "checklist_item" not in Rule._fields
    listed = [code for item in ITEMS for code in item.rules]
    shared = {code for code in listed if listed.count(code) > 1}
    assert all(all(item.service for item in ITEMS if code in item.rules) for code in shared)


def test_every_default_required_test_belongs_to_the_item_the_checklist_lists_it_under():
    expected = {
        "test_input_validation.py": "Input validated BEFORE plugin execution",
        "test_output_validation.py": "Plugin output validated AFTER execution",
        "test_error_envelope_structure.py": "Error envelope format matches spec",
        "test_unstructured_errors_fail.py": "Error envelope format matches spec",
        "test_registry_metrics_not_updated_yet.py": "Metrics updated correctly",
        "test_toolrunner_called_for_all_plugins.py": "PluginManagementService delegates to ToolRunner",
        "test_no_direct_plugin_run_calls.py": "PluginManagementService delegates to ToolRunner",
        "test_job_management_uses_plugin_management.py":
            "JobManagementService delegates to PluginManagementService",
        "test_analyze_endpoint_phase12_contract.py": "No Phase 11 API shapes broken",
    }
    assert set(TestsConfig().required) == set(expected)
    for name, title in expected.items():
        assert item_for_test(name)[0].title == title


@pytest.mark.parametrize(("name", "section", "file"), [
    ("3:tests/test_outputs.py", 3, "tests/test_outputs.py"),
    ("test_input_rejection.py", 2, "test_input_rejection.py"),
    ("phase_12/test_envelope_shape.py", 4, "phase_12/test_envelope_shape.py"),
    ("test_metrics_lifecycle.py", 5, "test_metrics_lifecycle.py"),
    ("test_api_contract.py", 7, "test_api_contract.py"),
    ("8:test_legacy.py", 8, "test_legacy.py"),
])
def test_configured_test_names_are_placed_by_prefix_then_keyword(name, section, file):
    item, stripped = item_for_test(name)
    assert (item.section, stripped) == (section, file)


def test_item_titles_and_bullets_are_the_checklists_own_words():
    if not CHECKLIST.is_file():
        pytest.skip(f"the checklist is not beside the repository ({CHECKLIST})")
    text = _plain(CHECKLIST.read_text(encoding="utf-8"))
    for item in ITEMS:
        assert f"### ✔ {_plain(item.title)}" in text, item.title
        for bullet in item.confirms:
            first = bullet.split(":")[0].replace("`pytest server/tests/phase_11`", "pytest")
            assert _plain(first.strip()) in text, bullet
    assert len({item.section for item in ITEMS}) == 8


def _plain(text: str) -> str:
    """The checklist writes "Phase\u202f12" and "Non\u2011dict": compare with plain spaces/hyphens."""
    return text.replace("\u202f", " ").replace("\u00a0", " ").replace("\u2011", "-")
