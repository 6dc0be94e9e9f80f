"""The pylint plugin's own fixtures: what type inference finds beyond the flake8 plugin.

Each directory under `tests/pylint/functional/` is a small project: a `pyproject.toml` with a
`[tool.phase12]` table and a package whose name is unique across the fixtures (so one pylint
run can lint them all without module-name clashes). Expectations sit on the lines:

- `# [direct-plugin-execution]` (pylint's functional-test style): pylint must report it;
- `# expect: GOV101` (the flake8 fixture convention): flake8 must report it as well.

A line pylint reports and flake8 does not is found by inference and must carry confidence
INFERENCE; a line both report comes from the shared engine, once, with confidence HIGH. Since
the engine reads types from the project model (annotations, constructors, return annotations,
helpers that execute their parameters, across modules), most of what these fixtures were
written to show pylint's inference alone finding is now found by both; what remains
inference-only is marked by the `[...]` marker without an `expect:` beside it.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from pylint_runs import CODE_BY_SYMBOL, assert_clean_run, run_flake8, run_pylint

from flake8_phase12.audit import AuditOptions, run_audit

FIXTURES = Path(__file__).parent / "functional"
PYLINT_MARKER = re.compile(r"#\s*\[(?P<symbols>[a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)\]")
FLAKE8_MARKER = re.compile(r"#\s*expect:\s*(?P<codes>GOV\d{3}(?:\s*,\s*GOV\d{3})*)\s*$")
PROJECTS = sorted(path.name for path in FIXTURES.iterdir() if (path / "pyproject.toml").is_file())


def expectations(project: Path) -> tuple[dict[str, set[tuple[int, str]]], dict[str, set[tuple[int, str]]]]:
    """(pylint, flake8) expectations: absolute path -> {(line, GOV code)}."""
    pylint: dict[str, set[tuple[int, str]]] = {}
    flake8: dict[str, set[tuple[int, str]]] = {}
    for file in sorted(project.rglob("*.py")):
        key = str(file.resolve())
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
            if match := PYLINT_MARKER.search(line):
                for symbol in match["symbols"].split(","):
                    pylint.setdefault(key, set()).add((number, CODE_BY_SYMBOL[symbol.strip()]))
            if match := FLAKE8_MARKER.search(line):
                for code in match["codes"].split(","):
                    flake8.setdefault(key, set()).add((number, code.strip()))
    return pylint, flake8


@pytest.fixture(scope="module")
def linted(tmp_path_factory):
    """All fixture projects copied to a scratch directory and linted once by each tool."""
    root = tmp_path_factory.mktemp("pylint-functional")
    for name in PROJECTS:
        shutil.copytree(FIXTURES / name, root / name,
                        ignore=shutil.ignore_patterns("__pycache__"))
    pylint_run = run_pylint(["--recursive=y", *PROJECTS], cwd=root)
    assert_clean_run(pylint_run)
    return root, pylint_run, run_flake8(PROJECTS, cwd=root)


def test_the_fixture_set_is_not_empty():
    assert {"annotated_parameters", "annotated_returns", "helper_functions", "init_attributes",
            "custom_base_classes", "clean_lookalikes"} <= set(PROJECTS)


@pytest.mark.parametrize("name", PROJECTS)
def test_pylint_reports_exactly_the_marked_lines(linted, name):
    root, pylint_run, _ = linted
    expected, _ = expectations(root / name)
    found = {path: lines for path, lines in pylint_run.findings().items()
             if path.startswith(str((root / name).resolve()) + "/")}
    assert found == expected


@pytest.mark.parametrize("name", PROJECTS)
def test_flake8_reports_exactly_the_expect_lines(linted, name):
    root, _, flake8_found = linted
    _, expected = expectations(root / name)
    found = {path: lines for path, lines in flake8_found.items()
             if path.startswith(str((root / name).resolve()) + "/")}
    assert found == expected


@pytest.mark.parametrize("name", PROJECTS)
def test_inference_only_findings_say_so_and_engine_findings_are_high(linted, name):
    root, pylint_run, _ = linted
    _, flake8_expected = expectations(root / name)
    for message in pylint_run.messages:
        if not message.path.startswith(str((root / name).resolve()) + "/"):
            continue
        seen_by_flake8 = (message.line, message.code) in flake8_expected.get(message.path, set())
        assert message.confidence == ("HIGH" if seen_by_flake8 else "INFERENCE"), message


def test_messages_are_the_catalog_text_without_the_code(linted):
    _, pylint_run, _ = linted
    texts = [message.text for message in pylint_run.messages]
    assert texts and all(not text.startswith("GOV") for text in texts)
    assert all("executes a plugin outside the runner" in text and "phase12 rules GOV101" in text
               for text in texts)
    helper = [text for text in texts if text.startswith("`helpers.execute_twice(...)`")]
    assert helper == ["`helpers.execute_twice(...)` -> `execute(...)` -> `p.run(...)` executes a "
                      "plugin outside the runner; call `ToolRunner.run(...)` instead, so "
                      "validation, error envelopes and metrics apply [Phase 12 §1; docs: "
                      "phase12 rules GOV101]"]


@pytest.mark.parametrize("name", PROJECTS)
def test_the_audit_sees_every_execution_pylint_sees(linted, name):
    """The audit passes section 1 only when no front end would report an execution: it finds
    every line pylint reports (helpers that execute their parameter, annotated returns, ...),
    from the project model, without pylint."""
    root, pylint_run, _ = linted
    project = root / name
    result = run_audit(project, options=AuditOptions(run_test_command=False, jobs=1))
    audited = {(str((project / finding.path).resolve()), finding.line, finding.code)
               for finding in result.findings if finding.code.startswith("GOV1")}
    seen_by_pylint = {(message.path, message.line, message.code)
                      for message in pylint_run.messages
                      if message.path.startswith(str(project.resolve()) + "/")
                      and message.code.startswith("GOV1")}
    assert audited == seen_by_pylint
    assert audited or name == "clean_lookalikes"  # every other fixture has executions
