"""pylint message ids for the catalog's file rules, derived from their codes.

pylint needs a 5-character id per message: a category letter, a 2-digit checker id and 2 digits
for the message. The checker id is 77: the pylint docs reserve 51-99 for plugins, but pylint's
own extensions use 55, 56, 60-63 and 90 (tests/pylint/test_pylint_messages.py loads every one
of them next to this plugin), pylint-django uses 51, and, as far as we know from their
published message tables, pylint-pytest 64, perflint 81-82 and pylint-odoo 79-80.

File rule codes are `GOV<section>0<n>`, so `GOV101` becomes `W7711`: the section and the rule
number are kept, and the mapping never depends on which rules exist. `GOV000`, the engine's
internal error, is fatal `F7700` (a rule did not run: the result is incomplete); a broken
configuration, which stops every rule for the file, is fatal `F7701`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from pylint.constants import WarningScope

from flake8_phase12.catalog import PYLINT_CHECKER_ID, Rule, pylint_msgid
from flake8_phase12.rule_index import all_rules

CHECKER_ID = PYLINT_CHECKER_ID
CHECKER_NAME = "phase12"
CONFIG_ERROR_SYMBOL = "phase12-config-error"
CONFIG_ERROR_ID = f"F{CHECKER_ID}01"
DOCS_HINT = "Full documentation: `phase12 rules {code}`."


@dataclass(frozen=True)
class Message:
    """One pylint message: its id, symbol, the rule it reports (None for config errors)."""

    msgid: str
    symbol: str
    description: str
    rule: Rule | None = None


def file_rule_msgid(rule: Rule) -> str | None:
    """`W77<section><n>` for a file rule `GOV<section>0<n>`; None when the code does not fit."""
    return pylint_msgid(rule)


def describe(rule: Rule) -> str:
    what = " ".join(rule.doc_section("What it does").split())
    return f"{rule.title}. {what} {DOCS_HINT.format(code=rule.code)}".strip()


@lru_cache(maxsize=1)
def messages() -> tuple[Message, ...]:
    """Every message of the checker: the file rules, the internal error, the config error."""
    found = [Message(CONFIG_ERROR_ID, CONFIG_ERROR_SYMBOL,
                     "The [tool.phase12] configuration found for this file (or named by "
                     "--phase12-config) is invalid, so no Phase 12 rule ran on it. The message "
                     "names the file, the key and what was expected.")]
    for rule in all_rules():
        msgid = file_rule_msgid(rule)
        if msgid is not None:
            found.append(Message(msgid, rule.symbol, describe(rule), rule))
    return tuple(found)


@lru_cache(maxsize=1)
def message_by_code() -> dict[str, Message]:
    return {message.rule.code: message for message in messages() if message.rule is not None}


def unmapped_file_rules() -> list[str]:
    """File rules whose code breaks the `GOV<s>0<n>` convention (a test keeps this empty)."""
    return [rule.code for rule in all_rules()
            if rule.scope == "file" and file_rule_msgid(rule) is None]


def pylint_msgs() -> dict[str, tuple[str, str, str, dict[str, str]]]:
    """The checker's `msgs` table. The template is `%s`: the engine's text without its code.

    Messages are line-scoped: the engine reports positions from the stdlib `ast`, not astroid
    nodes, and `# pylint: disable=<symbol>` works on lines and blocks all the same.
    """
    options = {"scope": WarningScope.LINE}
    return {message.msgid: ("%s", message.symbol, message.description, options)
            for message in messages()}
