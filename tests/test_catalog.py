"""The rule catalog: one source for codes, symbols, messages and documentation."""

from __future__ import annotations

import json
import types
import re
import subprocess
import sys
from pathlib import Path

import pytest

from flake8_phase12.catalog import DOC_SECTIONS, Rule
from flake8_phase12.cli import main
from flake8_phase12 import rule_index as registry
from flake8_phase12.rule_index import all_checks, all_rules

RULES = all_rules()
ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("rule", RULES, ids=[rule.code for rule in RULES])
def test_every_rule_is_documented_in_the_four_sections(rule):
    for name in DOC_SECTIONS:
        assert len(rule.doc_section(name)) > 20, f"{rule.code}: section '{name}' is missing or empty"
    assert rule.title and not rule.title.endswith(".")


@pytest.mark.parametrize("rule", RULES, ids=[rule.code for rule in RULES])
def test_messages_say_what_and_how_and_point_at_the_section_and_docs(rule):
    fields = set(re.findall(r"{(\w+)}", rule.message))
    text = rule.format_message(**{name: f"<{name}>" for name in fields})
    assert text.startswith(f"{rule.code} ")
    assert f"§{rule.section}" in text and f"phase12 rules {rule.code}" in text


def test_file_rules_use_codes_the_pylint_ids_can_carry():
    for rule in RULES:
        if rule.scope == "file" and rule.code != "GOV000":
            assert re.fullmatch(r"GOV[1-8]0[1-9]", rule.code), rule.code


def test_every_file_rule_is_found_by_exactly_one_check():
    owners = [rule.code for check in all_checks() for rule in check.rules]
    file_rules = {rule.code for rule in RULES if rule.scope == "file" and rule.code != "GOV000"}
    assert sorted(owners) == sorted(file_rules)


def test_every_checklist_section_has_a_rule():
    assert {rule.section for rule in RULES} >= set(range(1, 9))


def test_a_bad_rule_record_is_refused():
    with pytest.raises(ValueError, match="hundreds digit"):
        Rule(code="GOV201", symbol="x", section=1, title="t", message="m", docs="").validate()
    with pytest.raises(ValueError, match="kebab-case"):
        Rule(code="GOV101", symbol="Not_Kebab", section=1, title="t", message="m", docs="").validate()
    with pytest.raises(ValueError, match="3 digits"):
        Rule(code="GOV1011", symbol="x", section=1, title="t", message="m", docs="").validate()


def test_the_catalog_validates_every_rule(monkeypatch):
    bad = Rule(code="GOV201", symbol="x", section=1, title="t", message="m", docs="")
    module = types.SimpleNamespace(RULES=(bad,))
    monkeypatch.setattr(registry, "rule_modules", lambda: (module,))
    registry.all_rules.cache_clear()
    try:
        with pytest.raises(ValueError, match="hundreds digit"):
            registry.all_rules()
    finally:
        registry.all_rules.cache_clear()


def test_the_catalog_loads_the_records_of_project_rules_not_their_logic():
    """`phase12 rules`, pylint's message table and baselines read every record; the records
    kept beside the comparison and the audit must not bring griffe, the comparison or the audit
    with them."""
    code = ("import sys\n"
            "from flake8_phase12.rule_index import all_rules\n"
            "all_rules()\n"
            "print(sorted(name for name in sys.modules if name.split('.')[0] == 'griffe'\n"
            "             or name.startswith(('flake8_phase12.compat.', 'flake8_phase12.audit.'))))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, cwd=ROOT)
    assert result.stdout.strip() == "['flake8_phase12.audit.rules', 'flake8_phase12.compat.rules']"


def test_the_project_rules_are_in_the_catalog():
    from flake8_phase12.audit import rules as audit_rules
    from flake8_phase12.compat import rules as compat_rules

    for rule in (*audit_rules.RULES, *compat_rules.RULES):
        assert registry.find_rule(rule.code) is rule and rule.scope == "project"


def test_rules_command_lists_documents_and_exports_json(capsys):
    assert main(["rules"]) == 0
    listing = capsys.readouterr().out
    assert all(rule.code in listing for rule in RULES)
    assert main(["rules", "direct-plugin-execution"]) == 0
    assert "Why is this bad?" in capsys.readouterr().out
    assert main(["rules", "--format", "json"]) == 0
    exported = json.loads(capsys.readouterr().out)
    assert {"code", "symbol", "section", "title", "docs"} <= set(exported[0])
    assert [entry["code"] for entry in exported] == [rule.code for rule in RULES]


def test_a_former_code_finds_the_rule_and_says_its_new_code(capsys):
    moved = [rule for rule in RULES if rule.aliases]
    assert moved, "no rule has a former code: this test has nothing to check"
    for rule in moved:
        for alias in rule.aliases:
            assert main(["rules", alias.lower()]) == 0
            captured = capsys.readouterr()
            assert f"{alias} is now {rule.code}" in captured.err
            assert rule.title in captured.out
    assert not {alias for rule in RULES for alias in rule.aliases} & {rule.code for rule in RULES}


def test_unknown_rule_is_a_usage_error(capsys):
    assert main(["rules", "GOV999"]) == 2
    assert "unknown rule 'GOV999'" in capsys.readouterr().err


def test_readme_and_docs_are_generated_from_the_catalog():
    result = subprocess.run([sys.executable, "scripts/sync_docs.py", "--check"], cwd=ROOT,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
