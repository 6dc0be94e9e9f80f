"""Every functional fixture gives exactly its expected findings: through the engine, and
through real flake8 runs as users invoke them (files with `--jobs 2`, and stdin)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from functional import (
    all_cases,
    all_projects,
    engine_findings,
    golden_path,
    materialize,
    project_engine_findings,
    render_case,
    render_project,
)

CASES = all_cases()
PROJECTS = all_projects()
FLAKE8_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>GOV\d{3}) ")


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_engine_reports_exactly_the_expected_findings(case):
    assert engine_findings(case) == set(case.expected)


@pytest.mark.parametrize("case", PROJECTS, ids=[case.id for case in PROJECTS])
def test_engine_reports_exactly_the_expected_findings_in_project_fixtures(case):
    assert project_engine_findings(case) == {path: set(found) for path, found in case.expected.items()}


@pytest.mark.parametrize("case", [*CASES, *PROJECTS],
                         ids=[case.id for case in CASES] + [f"projects/{c.id}" for c in PROJECTS])
def test_messages_are_the_golden_output(case, request):
    """Line, column, code and message of every finding, as pinned beside the fixture (a clean
    fixture has no golden file). `--update-golden` rewrites the file instead."""
    rendered = render_case(case) if case in CASES else render_project(case)
    golden = golden_path(case)
    if request.config.getoption("--update-golden"):
        if rendered:
            golden.write_text(rendered, encoding="utf-8")
        else:
            golden.unlink(missing_ok=True)
        return
    pinned = golden.read_text(encoding="utf-8") if golden.exists() else ""
    assert rendered == pinned, f"{golden} differs (pytest --update-golden rewrites it)"


@pytest.mark.parametrize("case", PROJECTS, ids=[case.id for case in PROJECTS])
def test_real_flake8_run_over_each_project_fixture(case, tmp_path):
    import shutil

    project = tmp_path / case.id
    shutil.copytree(case.root, project)
    result = run_flake8(["--jobs", "2", "."], cwd=project)
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    found = parse(result.stdout, project)
    for relative, expected in case.expected.items():
        assert found.get(str((project / relative).resolve()), set()) == set(expected), relative


def test_every_file_rule_has_a_fixture_with_findings_and_a_clean_lookalike():
    from flake8_phase12.rule_index import all_rules

    flagged = {code for case in CASES for _, code in case.expected}
    clean_areas = {case.fixture.parent.name for case in CASES if not case.expected}
    areas_by_code = {}
    for case in CASES:
        for _, code in case.expected:
            areas_by_code.setdefault(code, set()).add(case.fixture.parent.name)
    for rule in all_rules():
        if rule.scope != "file" or rule.code == "GOV000":
            continue
        assert rule.code in flagged, f"{rule.code} has no fixture that expects it"
        assert areas_by_code[rule.code] & clean_areas, \
            f"{rule.code} has no clean lookalike fixture in its area"


def run_flake8(args: list[str], cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flake8", "--select=GOV", *args],
        cwd=cwd, input=stdin, capture_output=True, text=True, check=False,
    )


def parse(output: str, base: Path) -> dict[str, set[tuple[int, str]]]:
    found: dict[str, set[tuple[int, str]]] = {}
    for line in output.splitlines():
        match = FLAKE8_LINE.match(line)
        if match:
            path = Path(match["path"])
            key = str((base / path).resolve() if not path.is_absolute() else path.resolve())
            found.setdefault(key, set()).add((int(match["line"]), match["code"]))
    return found


def test_real_flake8_run_over_all_fixtures_with_two_jobs(tmp_path):
    targets = {}
    for index, case in enumerate(CASES):
        target = materialize(case, tmp_path / f"project{index}")
        targets[str(target.resolve())] = case
    result = run_flake8(["--jobs", "2", "."], cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    found = parse(result.stdout, tmp_path)
    for path, case in targets.items():
        assert found.get(path, set()) == set(case.expected), case.id


@pytest.mark.parametrize("case", [c for c in CASES if c.expected][:3], ids=lambda c: c.id)
def test_real_flake8_over_stdin_with_display_name(tmp_path, case):
    target = materialize(case, tmp_path)
    display = target.relative_to(tmp_path).as_posix()
    result = run_flake8(["--stdin-display-name", display, "-"], cwd=tmp_path, stdin=case.source)
    assert "Traceback" not in result.stderr
    assert parse(result.stdout, tmp_path).get(str(target.resolve()), set()) == set(case.expected)
