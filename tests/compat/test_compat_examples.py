"""The example servers: the compliant Phase 12 tree is additive, the violating one breaks §8 where marked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from flake8_phase12.cli import compat_cmd
from flake8_phase12.compat import check_compat
from flake8_phase12.config import clear_caches, load_config

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
MARKER = re.compile(r"#\s*VIOLATION:\s*(?P<sections>§[^ ]+)\s*(?P<text>.*)$")

pytestmark = pytest.mark.skipif(not (EXAMPLES / "phase11").is_dir(),
                                reason="the example servers are not there")


def report_for(name: str):
    clear_caches()
    root, config = compat_cmd.resolve_project(str(EXAMPLES / name), None)
    return check_compat(root, config, str(EXAMPLES / "phase11"))


def markers(root: Path, section: str) -> list[tuple[str, int, str]]:
    """(file, line, text) of every `# VIOLATION: §N ...` marker naming `section`, outside tests."""
    found = []
    for file in sorted(root.rglob("*.py")):
        relative = file.relative_to(root).as_posix()
        if "/tests/" in f"/{relative}":
            continue
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
            match = MARKER.search(line)
            if match and section in re.findall(r"§(\d)", match.group("sections")):
                found.append((relative, number, match.group("text")))
    return found


def test_compliant_example_has_no_breaking_change():
    report = report_for("compliant")
    assert report.changes == [], report.to_text()


def test_compliant_example_configures_its_baseline():
    clear_caches()
    config = load_config(start=EXAMPLES / "compliant")
    assert config.compat.against == "../phase11"


def test_violating_example_reports_every_marked_section_8_violation():
    report = report_for("violating")
    expected = markers(EXAMPLES / "violating", "8")
    assert expected, "the violating example marks no §8 violation"
    unmatched = [marker for marker in expected
                 if not any(change.file == marker[0] and abs(change.line - marker[1]) <= 2
                            for change in report.changes)]
    assert unmatched == [], report.to_text()
    # Anything else reported must be explained by a marker too (e.g. a §7 marker for a key that
    # the API response lost, which is also a §8 return-shape change).
    all_markers = markers(EXAMPLES / "violating", "7") + expected
    unexplained = [change for change in report.changes
                   if not any(change.file == file and abs(line - change.line) <= 10
                              for file, line, _ in all_markers)]
    assert unexplained == [], [change.to_dict() for change in unexplained]
    assert report.exit_code == 1


def test_examples_through_the_command(capsys):
    from flake8_phase12.cli import main

    clear_caches()
    assert main(["compat", str(EXAMPLES / "compliant")]) == 0
    assert main(["compat", str(EXAMPLES / "violating"), "--format", "json"]) == 1
    assert '"GOV805"' in capsys.readouterr().out


def test_the_verdict_does_not_depend_on_the_working_directory(monkeypatch):
    # Regression: griffe tried module names as paths relative to the working directory, so
    # from inside the violating project the "Phase 11" tree loaded the violating package.
    from_elsewhere = {(change.code, change.object_path) for change in report_for("violating").changes}
    monkeypatch.chdir(EXAMPLES / "violating")
    from_inside = {(change.code, change.object_path) for change in report_for("violating").changes}
    assert from_inside == from_elsewhere
    assert {code for code, _ in from_inside} >= {"GOV802", "GOV803", "GOV806", "GOV808"}
