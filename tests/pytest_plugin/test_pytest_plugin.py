"""The pytest plugin (`pytest --phase12`), run with pytest's own `pytester` on copies of the
example codebases. Every run is a subprocess: the examples are all the package `server`."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SECTION_IDS = [
    "phase12::section-1-execution-path-governance",
    "phase12::section-2-input-validation",
    "phase12::section-3-output-validation",
    "phase12::section-4-structured-error-handling",
    "phase12::section-5-registry-metrics-lifecycle",
    "phase12::section-6-service-layer-delegation",
    "phase12::section-7-api-layer-contract",
    "phase12::section-8-phase-11-compatibility",
]
CONTRACT_IDS = ["phase12::contract-execution-chain", "phase12::contract-runner-gateway",
                "phase12::contract-plugin-implementations"]
# Only the phase12 items: the examples' own suites are not what these tests are about, so pytest
# is pointed at a directory without tests (the phase12 items do not depend on the paths given).
ONLY_PHASE12 = ("server/app", "-o", "addopts=")
COUNTING_CONFTEST = """
import sys
import flake8_phase12.audit as audit

CALLS = []
_real = audit.run_audit


def counting(*args, **kwargs):
    CALLS.append(1)
    return _real(*args, **kwargs)


audit.run_audit = counting


def pytest_sessionfinish(session):
    print(f"\\nAUDIT-RUNS={len(CALLS)}")
"""


@pytest.fixture
def example(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch):
    """Copy an example (and ../phase11, its compat baseline) and run pytest from inside it."""

    def copy(name: str) -> Path:
        ignore = shutil.ignore_patterns("__pycache__", ".pytest_cache")
        shutil.copytree(EXAMPLES / "phase11", pytester.path / "phase11", ignore=ignore)
        project = pytester.path / name
        shutil.copytree(EXAMPLES / name, project, ignore=ignore)
        monkeypatch.chdir(project)
        return project

    return copy


def outcomes(result: pytest.RunResult) -> dict[str, str]:
    """nodeid -> PASSED/FAILED/SKIPPED from a `-rA` summary."""
    found = {}
    for line in result.outlines:
        for word in ("PASSED", "FAILED", "SKIPPED"):
            if line.startswith(word + " "):
                found[line.split()[1]] = word
    return found


def test_the_plugin_is_off_by_default_and_imports_nothing_heavy(pytester, example):
    project = example("compliant")
    (project / "conftest.py").write_text(
        "import sys\n\ndef pytest_sessionfinish(session):\n"
        "    print('\\nAUDIT-IMPORTED=' + str('flake8_phase12.audit' in sys.modules))\n")
    result = pytester.runpytest_subprocess("--collect-only", "-q", "-o", "addopts=")
    assert "phase12::" not in result.stdout.str()
    # A module that needs no optional dependency (the route tests skip without FastAPI).
    result.stdout.fnmatch_lines(["*test_plugin_registry.py::*", "AUDIT-IMPORTED=False"])
    assert "--phase12" in pytester.runpytest_subprocess("--help").stdout.str()


def test_every_item_passes_on_the_compliant_example_and_the_audit_runs_once(pytester, example):
    project = example("compliant")
    (project / "conftest.py").write_text(COUNTING_CONFTEST)
    result = pytester.runpytest_subprocess("--phase12", "-v", "-rA", *ONLY_PHASE12)
    assert outcomes(result) == {nodeid: "PASSED" for nodeid in SECTION_IDS + CONTRACT_IDS}
    result.stdout.fnmatch_lines(["*collected 11 items", "AUDIT-RUNS=1", "*11 passed*"])
    assert result.ret == 0


def test_the_violating_example_fails_the_right_items_with_the_evidence(pytester, example):
    example("violating")
    result = pytester.runpytest_subprocess("--phase12", "-rA", "--junitxml=report.xml", *ONLY_PHASE12)
    assert outcomes(result) == {nodeid: "FAILED" for nodeid in SECTION_IDS + CONTRACT_IDS}
    result.stdout.fnmatch_lines([
        "*_ phase12 §1 Execution Path Governance _*",
        "Phase 12 §1 Execution Path Governance does not hold (1 of 1 items failed)",
        "  ✘ ToolRunner is the ONLY execution entry point",
        "E       server/app/services/plugin_management_service.py:51:20: GOV101 "
        "`self._plugins[[]plugin_name].run(...)` executes a plugin outside the runner*",
    ])
    result.stdout.fnmatch_lines([
        "*_ phase12 import contract 'Only PluginManagementService imports the ToolRunner' _*",
        "E       server/app/services/job_management_service.py:21:1: GOV681 *",
        "E           server.app.services.job_management_service -> server.app.services.tool_runner (l.21)",
    ])
    result.stdout.fnmatch_lines(["*_ phase12 §8 Phase 11 Compatibility _*",
                                 "E       server/app/api/analyze.py:33:1: GOV804 *"])
    assert result.ret == 1
    suite = ElementTree.parse("report.xml").getroot()
    cases = {(case.get("classname"), case.get("name")): case for case in suite.iter("testcase")}
    failed = cases[("phase12", "section-2-input-validation")].find("failure")
    assert failed is not None and "GOV202" in failed.text


def test_ini_option_keyword_selection_and_the_fixture(pytester, example):
    project = example("violating")
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace("[tool.pytest.ini_options]\n",
                                                       "[tool.pytest.ini_options]\nphase12 = true\n"))
    (project / "test_own_assertions.py").write_text(
        "def test_section_1_has_direct_execution(phase12_audit):\n"
        "    codes = {finding.code for finding in phase12_audit.section(1).findings}\n"
        "    assert 'GOV101' in codes\n\n"
        "def test_nothing_in_section_2(phase12_audit):\n"
        "    assert not phase12_audit.section(2).findings\n")
    result = pytester.runpytest_subprocess("-rA", "-k", "section-1 or section_1 or section_2",
                                           "test_own_assertions.py", *ONLY_PHASE12)
    assert outcomes(result) == {
        "phase12::section-1-execution-path-governance": "FAILED",
        "test_own_assertions.py::test_section_1_has_direct_execution": "PASSED",
        "test_own_assertions.py::test_nothing_in_section_2": "FAILED",
    }


def test_last_failed_reruns_only_the_failing_items(pytester, example):
    project = example("compliant")
    runner = project / "server" / "app" / "services" / "plugin_management_service.py"
    runner.write_text(runner.read_text() + "\n\ndef shortcut(plugin, payload):\n"
                                           "    return plugin.run(payload)\n")
    first = pytester.runpytest_subprocess("--phase12", "-rA", *ONLY_PHASE12)
    assert [nodeid for nodeid, word in outcomes(first).items() if word == "FAILED"] == \
        ["phase12::section-1-execution-path-governance"]
    again = pytester.runpytest_subprocess("--phase12", "--lf", "-rA", *ONLY_PHASE12)
    assert outcomes(again) == {"phase12::section-1-execution-path-governance": "FAILED"}
    again.stdout.fnmatch_lines(["*run-last-failure: rerun previous 1 failure*"])


def test_works_under_xdist(pytester, example):
    example("violating")
    result = pytester.runpytest_subprocess("--phase12", "-n", "2", "-rA", *ONLY_PHASE12)
    assert outcomes(result) == {nodeid: "FAILED" for nodeid in SECTION_IDS + CONTRACT_IDS}
    result.stdout.fnmatch_lines(["*E       server/app/services/tool_runner.py:37:18: GOV202 *"])


@pytest.mark.parametrize("workers", [(), ("-n", "2")], ids=["serial", "xdist"])
def test_a_broken_configuration_is_one_usage_error(workers, pytester, example):
    project = example("compliant")
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('root = "server/tests"', 'rot = "x"'))
    result = pytester.runpytest_subprocess("--phase12", "-rA", *workers, *ONLY_PHASE12)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert outcomes(result) == {}
    errors = [line for line in result.errlines if line.strip()]
    assert errors == [f"ERROR: phase12: configuration error: {pyproject}: unknown key "
                      "'tool.phase12.tests.rot'; did you mean 'root'?"]
    assert "Traceback" not in result.stdout.str() + result.stderr.str()


def test_a_check_that_cannot_run_is_one_collection_error_not_a_verdict(pytester, example):
    project = example("compliant")
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('against = "../phase11"',
                                                       'against = "../nowhere"'))
    result = pytester.runpytest_subprocess("--phase12", "-rA", *ONLY_PHASE12)
    assert result.ret == pytest.ExitCode.INTERRUPTED
    assert outcomes(result) == {}
    result.stdout.fnmatch_lines([
        "*ERROR collecting phase12*",
        "phase12: the checklist could not be verified: ?tool.phase12.compat? against = "
        "'../nowhere': *",
        "*Interrupted: 1 error during collection*"])
    assert "Traceback" not in result.stdout.str()
    assert "Phase 12 checklist:" not in result.stdout.str()  # no tally of what was not verified


def test_a_file_no_rule_could_check_fails_an_item_of_its_own(pytester, example):
    project = example("compliant")
    (project / "server" / "app" / "legacy.py").write_text("def broken(:\n    pass\n")
    result = pytester.runpytest_subprocess("--phase12", "-rA", *ONLY_PHASE12)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    assert outcomes(result)["phase12::files-not-checked"] == "FAILED"
    result.stdout.fnmatch_lines(["*1 file could not be checked by the Phase 12 rules*",
                                 "*server/app/legacy.py:1:1: GOV001 cannot check this file: *"])
