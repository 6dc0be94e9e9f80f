"""The §8 catalog records: codes, symbols, docs, and that every message template gets its values."""

from __future__ import annotations

import string

from flake8_phase12.catalog import DOC_SECTIONS
from flake8_phase12.compat.rules import RULES

try:
    from flake8_phase12.rule_index import all_rules, find_rule
except ImportError:  # pragma: no cover - the catalog kept them before the registry module
    from flake8_phase12.catalog import all_rules, find_rule  # type: ignore[attr-defined,no-redef]


def test_codes_symbols_and_scope():
    assert [rule.code for rule in RULES] == [f"GOV80{n}" for n in range(1, 10)]
    assert len({rule.symbol for rule in RULES}) == len(RULES)
    for rule in RULES:
        assert rule.section == 8 and rule.scope == "project"
        assert rule.section_title == "Phase 11 Compatibility"
        assert find_rule(rule.code) is rule and find_rule(rule.symbol) is rule


def test_rules_are_in_the_catalog():
    codes = {rule.code for rule in all_rules()}
    assert {rule.code for rule in RULES} <= codes


def test_every_rule_has_full_docs():
    for rule in RULES:
        for section in DOC_SECTIONS:
            assert rule.doc_section(section), f"{rule.code} lacks ## {section}"
        assert "```" in rule.doc_section("Example") and "```" in rule.doc_section("Use instead")


def test_message_templates_are_filled_by_the_comparison(compat_changes):
    """Each rule's placeholders are exactly the values the comparison provides (no KeyError)."""
    old = {"app/__init__.py": "", "app/m.py": """
        from fastapi import APIRouter
        router = APIRouter()

        class PluginError(KeyError):
            pass

        class BasePlugin:
            def run(self, payload):
                pass

        class Entry:
            def __init__(self):
                self.errors = 0
                self.state: str = "idle"
                self.name = ""

        def gone():
            pass

        def old_name(a, b):
            pass

        def sig(a, b=1):
            raise PluginError(a)

        @router.post("/analyze")
        def analyze():
            return {"result": 1}

        @router.get("/gone")
        def gone_route():
            return {}
        """}
    new = {"app/__init__.py": "", "app/m.py": """
        from fastapi import APIRouter
        router = APIRouter()

        class PluginError(Exception):
            pass

        class BasePlugin:
            def run(self, payload, context):
                pass

        class Entry:
            def __init__(self):
                self.error_count = 0
                self.name = ""

        def new_name(a, b):
            pass

        def sig(a, b=2):
            raise ValueError(a)

        @router.post("/analyze")
        def analyze():
            return {"data": 1}

        def gone_route():
            return {}
        """}
    changes = compat_changes(old, new)
    assert {change.code for change in changes} == {rule.code for rule in RULES}
    for change in changes:
        fields = {name for _, name, _, _ in string.Formatter().parse(change.rule.message) if name}
        assert fields, change.rule.code
        assert "{" not in change.message, change.message
