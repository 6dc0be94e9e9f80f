"""pylint message ids and symbols: one per file rule, derived from the code, colliding with nothing."""

from __future__ import annotations

import pkgutil

import pylint.extensions
import pytest
from pylint.lint import PyLinter

from flake8_phase12.catalog import INTERNAL_ERROR, Rule
from flake8_phase12.pylint.messages import (
    CHECKER_ID,
    CONFIG_ERROR_SYMBOL,
    file_rule_msgid,
    messages,
    unmapped_file_rules,
)
from flake8_phase12.rule_index import all_rules

# Checker ids of well-known third-party plugins, from their published message tables (they are
# not installed here, and pylint keeps no registry of ids).
THIRD_PARTY_CHECKER_IDS = {
    "51": "pylint-django",
    "64": "pylint-pytest",
    "79": "pylint-odoo",
    "80": "pylint-odoo",
    "81": "perflint",
    "82": "perflint",
}


def rule(code: str, scope: str = "file") -> Rule:
    return Rule(code=code, symbol="made-up-rule", section=int(code[3]), title="t", message="m",
                docs="", scope=scope)


def test_every_file_rule_of_the_catalog_is_a_pylint_message_with_its_symbol():
    assert unmapped_file_rules() == []
    symbols = {message.symbol for message in messages()}
    for each in all_rules():
        if each.scope == "file":
            assert each.symbol in symbols, each.code
        else:
            assert each.symbol not in symbols, f"{each.code} is a project rule: audit only"


@pytest.mark.parametrize(("code", "msgid"), [
    ("GOV101", "W7711"), ("GOV305", "W7735"), ("GOV809", "W7789"), ("GOV000", "F7700"),
])
def test_ids_are_derived_from_the_code(code, msgid):
    assert file_rule_msgid(INTERNAL_ERROR if code == "GOV000" else rule(code)) == msgid


@pytest.mark.parametrize("code", ["GOV181", "GOV110", "GOV100"])
def test_codes_outside_the_file_rule_convention_get_no_id(code):
    assert file_rule_msgid(rule(code)) is None


def test_project_rules_get_no_id():
    assert file_rule_msgid(rule("GOV801", scope="project")) is None


def test_ids_and_symbols_are_unique_and_share_one_checker_id():
    ids = [message.msgid for message in messages()]
    symbols = [message.symbol for message in messages()]
    assert len(set(ids)) == len(ids) and len(set(symbols)) == len(symbols)
    assert {msgid[1:3] for msgid in ids} == {CHECKER_ID}
    assert CONFIG_ERROR_SYMBOL in symbols and INTERNAL_ERROR.symbol in symbols


def test_no_collision_with_pylint_its_extensions_and_known_plugins():
    linter = PyLinter()
    linter.load_default_plugins()
    extensions = [f"pylint.extensions.{info.name}"
                  for info in pkgutil.iter_modules(pylint.extensions.__path__)
                  if not info.name.startswith("_")]
    assert len(extensions) > 20
    linter.load_plugin_modules([*extensions, "flake8_phase12.pylint"])  # raises on a clash
    ours = {message.msgid for message in messages()}
    definitions = linter.msgs_store.messages
    others = [definition for definition in definitions if definition.msgid not in ours]
    assert {definition.msgid for definition in definitions} >= ours
    assert [d.msgid for d in others if d.msgid[1:3] == CHECKER_ID] == []
    assert not {d.symbol for d in others} & {message.symbol for message in messages()}
    assert CHECKER_ID not in THIRD_PARTY_CHECKER_IDS


def test_descriptions_carry_the_rule_documentation_and_its_pointer():
    linter = PyLinter()
    linter.load_plugin_modules(["flake8_phase12.pylint"])
    definition = linter.msgs_store.get_message_definitions("direct-plugin-execution")[0]
    assert definition.msgid == "W7711"
    assert "outside the runner module" in definition.description
    assert "phase12 rules GOV101" in definition.description
