"""`examples/violating/VIOLATIONS.md` says which rule reports each violation: hold it to the
findings, so the document cannot drift from the rules."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from flake8_phase12.config import config_for_file
from flake8_phase12.lint_file import check_file

PROJECT = Path(__file__).resolve().parents[1] / "examples" / "violating"
ROW = re.compile(r"^\| `(?P<path>[^`]+):(?P<line>\d+)` \|.*\| (?P<detector>[^|]+) \|$")
FILE_RULE = re.compile(r"\bGOV[1-7]0\d\b")


def documented() -> set[tuple[str, int, str]]:
    """(path, line, code) for every file-rule code a table row names, before any `;` (what
    follows names contracts or `phase12 compat`, which report elsewhere)."""
    rows = set()
    for text in (PROJECT / "VIOLATIONS.md").read_text(encoding="utf-8").splitlines():
        match = ROW.match(text.strip())
        if match:
            flake8_part = match["detector"].split(";")[0]
            for code in FILE_RULE.findall(flake8_part):
                rows.add((match["path"], int(match["line"]), code))
    return rows


def reported() -> set[tuple[str, int, str]]:
    found = set()
    for path in sorted((PROJECT / "server" / "app").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        for finding in check_file(ast.parse(source), str(path), config_for_file(str(path)),
                                  source):
            found.add((path.relative_to(PROJECT).as_posix(), finding.line, finding.code))
    return found


def test_every_code_the_document_names_is_reported_on_its_line():
    rows = documented()
    assert len(rows) > 30
    assert rows - reported() == set()


def test_every_finding_in_the_violating_example_is_documented():
    assert reported() - documented() == set()
