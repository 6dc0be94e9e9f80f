"""The comments that suppress a finding, honoured by the audit as flake8 and pylint honour them.

On the line of a finding (1-based, as reported):

- `# noqa` suppresses every finding there, `# noqa: GOV101,GOV405` those codes (flake8's syntax
  and matching: codes after a colon, separated by commas or blanks, case-insensitive `noqa`, a
  code prefix such as `GOV1` matching every code it starts). As in flake8, the comment counts for
  every line of the statement it ends when the statement spans several lines.
- `# pylint: disable=direct-plugin-execution` suppresses the rule with that symbol (or pylint's
  message id `W7711`); `# pylint: disable-next=...` on the line before does too. A `disable` on
  a line of its own, which pylint applies to the rest of the block, is not read, nor `all`,
  which pylint applies to the whole module.

Only the findings of file rules are suppressed this way: those flake8 and pylint report too.
Import contracts have import-linter's own `ignore_imports`; the audit's own problems (GOV001) and
findings about the project as a whole are not suppressible.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from flake8_phase12.analysis.context import source_lines
from flake8_phase12.audit.files import read_source
from flake8_phase12.audit.model import AuditFinding
from flake8_phase12.catalog import pylint_msgid

# flake8's own pattern (`flake8.defaults.NOQA_INLINE_REGEXP`), which the audit may not import.
NOQA = re.compile(r"# noqa(?::[\s]?(?P<codes>([A-Z]+[0-9]+(?:[,\s]+)?)+))?", re.IGNORECASE)
PYLINT = re.compile(r"#\s*pylint\s*:\s*(?P<kind>disable-next|disable)\s*=\s*"
                    r"(?P<names>[\w-]+(?:\s*,\s*[\w-]+)*)")


@dataclass(frozen=True)
class Suppressed:
    """The findings still reported, and how many each rule had suppressed in the code."""
    reported: list[AuditFinding]
    counts: tuple[tuple[str, int], ...]


def apply_suppressions(findings: Iterable[AuditFinding], base: Path) -> Suppressed:
    """`findings` without those a comment suppresses; their paths are relative to `base`."""
    reported: list[AuditFinding] = []
    counts: Counter[str] = Counter()
    comments: dict[str, FileComments | None] = {}
    for finding in findings:
        rule = finding.rule
        if rule is None or rule.scope != "file" or finding.section == 0 or finding.line < 1:
            reported.append(finding)
            continue
        if finding.path not in comments:
            comments[finding.path] = FileComments.read(base / finding.path)
        file_comments = comments[finding.path]
        if file_comments is not None and file_comments.suppresses(finding):
            counts[finding.code] += 1
        else:
            reported.append(finding)
    return Suppressed(reported, tuple(sorted(counts.items())))


class FileComments:
    """The suppression comments of one file."""

    def __init__(self, text: str) -> None:
        self.lines = source_lines(text)
        self.noqa_lines = _statement_text_by_line(text, self.lines)

    @classmethod
    def read(cls, path: Path) -> FileComments | None:
        try:
            return cls(read_source(path))
        except (OSError, UnicodeDecodeError, SyntaxError, LookupError):
            return None  # nothing to honour in a file that cannot be read

    def suppresses(self, finding: AuditFinding) -> bool:
        return self._noqa(finding) or self._pylint(finding)

    def _noqa(self, finding: AuditFinding) -> bool:
        text = self.noqa_lines.get(finding.line) or self._line(finding.line)
        match = NOQA.search(text)
        if match is None:
            return False
        codes = match["codes"]
        if codes is None:
            return True
        listed = tuple(code for code in re.split(r"[,\s]+", codes.upper()) if code)
        # A code the rule had before it moved (GOV706 for GOV608) still suppresses it.
        former = finding.rule.aliases if finding.rule is not None else ()
        return finding.code.startswith(listed) or bool(set(former) & set(listed))

    def _pylint(self, finding: AuditFinding) -> bool:
        rule = finding.rule
        names = {finding.symbol}
        msgid = pylint_msgid(rule) if rule is not None else None
        if msgid:
            names.add(msgid.lower())
        for line, kind in ((finding.line, "disable"), (finding.line - 1, "disable-next")):
            for match in PYLINT.finditer(self._line(line)):
                listed = {name.strip().lower() for name in match["names"].split(",")}
                if match["kind"] == kind and listed & names:
                    return True
        return False

    def _line(self, number: int) -> str:
        return self.lines[number - 1] if 1 <= number <= len(self.lines) else ""


def _statement_text_by_line(text: str, lines: list[str]) -> dict[int, str]:
    """Each line of a statement spanning several lines -> the text of all of them (flake8's
    `_noqa_line_mapping`): a `# noqa` ending the statement counts for each of its lines."""
    mapping: dict[int, str] = {}
    first, last = len(lines) + 2, -1
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type in (tokenize.ENDMARKER, tokenize.DEDENT):
                continue
            first, last = min(first, token.start[0]), max(last, token.end[0])
            if token.type in (tokenize.NL, tokenize.NEWLINE):
                joined = "\n".join(lines[first - 1:last])
                mapping.update(dict.fromkeys(range(first, last + 1), joined))
                first, last = len(lines) + 2, -1
    except (tokenize.TokenError, SyntaxError):
        return mapping  # the lines read so far; the rest are read one by one
    return mapping
