"""The rule catalog: one `Rule` record per GOV code, collected by `flake8_phase12.rule_index`.

Every front end (flake8, pylint, the `phase12` command, SARIF, the README table) reads rule
metadata from `Rule` records, so a rule's code, symbol, message and documentation live in one
place, beside its logic: a file rule in its module under `flake8_phase12/rules/`, a Phase 11
compatibility rule in `flake8_phase12/compat/rules.py`, a rule the audit itself checks in
`flake8_phase12/audit/rules.py`.

Codes are `GOV` + 3 digits. The hundreds digit is the checklist section (1-8); `GOV000` is the
internal-error code. File rules (run by flake8 and pylint on one file at a time) use
`GOV<s>0<n>` (n = 1-9, which the pylint message ids rely on); project rules (import contracts,
Phase 11 compatibility, required tests, the test command) use any other code of their section
and are checked by `phase12 audit`.
"""

from __future__ import annotations

import re
from typing import Literal

from flake8_phase12.records import Record

DOC_SECTIONS = ("What it does", "Why is this bad?", "Example", "Use instead")
# Patterns, not compiled regexes: only `validate()` needs them, never flake8's start-up path.
CODE_PATTERN = r"GOV[0-8][0-9]{2}"
SYMBOL_PATTERN = r"[a-z][a-z0-9]*(-[a-z0-9]+)*"

SECTION_TITLES = {
    0: "Internal",
    1: "Execution Path Governance",
    2: "Input Validation",
    3: "Output Validation",
    4: "Structured Error Handling",
    5: "Registry Metrics & Lifecycle",
    6: "Service Layer Delegation",
    7: "API Layer Contract",
    8: "Phase 11 Compatibility",
}

Scope = Literal["file", "project"]
# pylint's checker id of this package's messages (see `flake8_phase12.pylint.messages`).
PYLINT_CHECKER_ID = "77"


class Rule(Record):
    """Metadata of one GOV rule. `message` is a `str.format` template.

    A `Record` rather than a frozen dataclass: every flake8 start creates this class, and a
    frozen dataclass costs about fifty times as much to create. `rule_index.all_rules()` calls
    `validate()` on every rule; the catalog tests run it.
    """

    code: str
    symbol: str
    section: int
    title: str
    message: str
    docs: str
    scope: Scope = "file"
    # Codes this rule had before it moved: `# noqa`, baselines and `phase12 rules` accept them.
    aliases: tuple[str, ...] = ()

    def validate(self) -> None:
        """Raise ValueError when the code, section or symbol breaks the catalog's conventions."""
        if not re.fullmatch(CODE_PATTERN, self.code):
            raise ValueError(f"{self.code}: a rule code is GOV followed by 3 digits")
        if int(self.code[3]) != self.section:
            raise ValueError(f"{self.code}: the hundreds digit must be the section {self.section}")
        if not re.fullmatch(SYMBOL_PATTERN, self.symbol):
            raise ValueError(f"{self.code}: symbol {self.symbol!r} must be kebab-case")

    @property
    def section_title(self) -> str:
        return SECTION_TITLES[self.section]

    @property
    def docs_reference(self) -> str:
        """Where the full documentation is: printed by the `phase12 rules CODE` command."""
        return f"phase12 rules {self.code}"

    def format_message(self, **values: object) -> str:
        """The full diagnostic text: code, what is wrong and how to fix it, section, docs."""
        text = self.message.format(**values) if values else self.message
        return f"{self.code} {text} [Phase 12 §{self.section}; docs: {self.docs_reference}]"

    def doc_section(self, name: str) -> str:
        """The body of one `## name` section of the documentation, or '' if absent."""
        return _doc_sections(self.docs).get(name, "")

    @property
    def doc_sections(self) -> dict[str, str]:
        """Every `## name` section of the documentation, in order: the four required ones and
        any extra (`Known problems`, `Options`, ...)."""
        return _doc_sections(self.docs)


def pylint_msgid(rule: Rule) -> str | None:
    """pylint's message id of a rule: `W77<section><n>` for a file rule `GOV<section>0<n>`,
    `F7700` for GOV000; None for a rule pylint does not report. Here rather than in the pylint
    adapter, so that the audit can honour `# pylint: disable=W7711` without importing pylint."""
    digits = rule.code[3:]
    if rule.code == "GOV000":
        return f"F{PYLINT_CHECKER_ID}00"
    if rule.scope != "file" or len(digits) != 3 or digits[1] != "0" or digits[2] == "0":
        return None
    return f"W{PYLINT_CHECKER_ID}{digits[0]}{digits[2]}"


def _doc_sections(docs: str) -> dict[str, str]:
    sections: dict[str, str] = {}
    current: str | None = None
    lines: list[str] = []
    for line in _dedent(docs).splitlines():
        if line.startswith("## "):
            if current is not None:
                sections[current] = "\n".join(lines).strip()
            current, lines = line[3:].strip(), []
        elif current is not None:
            lines.append(line)
    if current is not None:
        sections[current] = "\n".join(lines).strip()
    return sections


def _dedent(text: str) -> str:
    import textwrap  # documentation is rendered by `phase12 rules` and the docs, not by flake8

    return textwrap.dedent(text).strip()


INTERNAL_ERROR = Rule(
    code="GOV000",
    symbol="phase12-internal-error",
    section=0,
    title="Internal error in a Phase 12 rule",
    message="internal error in {rule}: {reason}; the other rules still ran, please report this",
    docs="""
    ## What it does
    Reports that one of this package's own rules failed on this file. The other rules still
    ran and their findings are reported; only the named rule is missing for this file.

    ## Why is this bad?
    A rule that fails silently would hide violations. Reporting the failure keeps the editor's
    diagnostics and the CI run intact while making the gap visible.

    ## Example
    ```text
    app.py:1:1: GOV000 internal error in GOV101: RecursionError: maximum recursion depth exceeded
    ```

    ## Use instead
    Nothing to change in your code: report the message and the file (or a reduced copy of it)
    to the flake8-phase12 maintainers.
    """,
)
