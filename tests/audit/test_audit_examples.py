"""`phase12 audit` end to end on copies of the bundled example codebases."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from conftest import run_phase12

from flake8_phase12.audit import AuditOptions, run_audit
from flake8_phase12.audit.report_json import audit_to_dict

FAST = AuditOptions(run_test_command=False, jobs=1)


@pytest.fixture
def venv_python_first(monkeypatch):
    """The examples' test command says `python`: make that this environment's interpreter."""
    monkeypatch.setenv("PATH", str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"])


def marked_lines(project: Path) -> set[tuple[str, int]]:
    """The (path, line) of every `# VIOLATION` marker in the violating example."""
    marked = set()
    for file in (project / "server").rglob("*.py"):
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
            if "# VIOLATION" in line:
                marked.add((file.relative_to(project).as_posix(), number))
    return marked


@pytest.mark.usefixtures("venv_python_first")
def test_the_compliant_example_is_complete_with_every_check_run(examples):
    result = run_audit(examples / "compliant")
    assert [finding.location for finding in result.findings] == []
    assert result.errors == ()
    assert [(item.section, item.title, item.reason) for item in result.unchecked_items] == []
    assert result.complete and result.verdict == "Phase 12 complete"
    assert {contract.id: contract.status for contract in result.contracts} == {
        "execution-chain": "kept", "runner-gateway": "kept", "plugin-implementations": "kept"}
    assert result.files_checked >= 15


def test_the_violating_example_fails_every_section_with_evidence(examples):
    result = run_audit(examples / "violating", options=FAST)
    assert not result.complete
    assert {section.number for section in result.sections if section.status == "failed"} \
        >= {1, 2, 3, 4, 5, 6, 7, 8}
    section1 = {(f.path, f.line, f.code) for f in result.section(1).findings}
    for line in (51, 61, 68, 80, 92, 97):
        assert ("server/app/services/plugin_management_service.py", line, "GOV101") in section1
    assert ("server/app/services/analysis_service.py", 7, "GOV180") in section1
    jobs_item = next(item for item in result.section(6).items
                     if item.title == "JobManagementService delegates to PluginManagementService")
    assert ("server/app/services/job_management_service.py", 21, "GOV680") in \
        {(f.path, f.line, f.code) for f in jobs_item.findings}
    section8 = {(f.path, f.line, f.code) for f in result.section(8).findings}
    assert ("server/app/services/job_management_service.py", 128, "GOV803") in section8
    missing = {f.message.split("`")[1] for f in result.findings if f.code in ("GOV390", "GOV790")}
    assert missing == {"test_output_validation.py", "test_analyze_endpoint_phase12_contract.py"}


def test_contract_findings_land_on_the_marked_import_lines(examples):
    result = run_audit(examples / "violating", options=FAST)
    marked = marked_lines(examples / "violating")
    contract_findings = [f for contract in result.contracts for f in contract.findings]
    assert {contract.status for contract in result.contracts} == {"broken"}
    assert contract_findings
    for finding in contract_findings:
        assert (finding.path, finding.line) in marked, finding.location
        assert finding.evidence and " -> " in finding.evidence[0]


def test_the_result_does_not_depend_on_the_number_of_worker_processes(examples):
    one = audit_to_dict(run_audit(examples / "violating", options=FAST))
    two = audit_to_dict(run_audit(examples / "violating",
                                  options=AuditOptions(run_test_command=False, jobs=2)))
    assert json.dumps(one, sort_keys=True) == json.dumps(two, sort_keys=True)
    assert one["findings"]


@pytest.mark.usefixtures("venv_python_first")
def test_the_failing_phase11_suite_is_a_section_8_finding(examples):
    result = run_audit(examples / "violating", options=AuditOptions(jobs=1))
    [failure] = [f for f in result.findings if f.code == "GOV890"]
    assert "exited with status 1" in failure.message
    assert any("FAILED" in line for line in failure.evidence)
    tests_item = result.section(8).items[1]
    assert (tests_item.title, tests_item.status) == ("All Phase 11 tests still pass", "failed")


def test_the_readme_command_exits_0_on_the_compliant_example(examples):
    completed = run_phase12("audit", "compliant", cwd=examples)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert completed.stdout.rstrip().endswith("Phase 12 complete: 14 of 14 items passed.")
    assert "1. Execution Path Governance" in completed.stdout
    assert "ToolRunner is the ONLY execution entry point" in completed.stdout


def test_the_violating_example_exits_1_and_prints_the_evidence(examples):
    completed = run_phase12("audit", "violating", "--no-test-command", cwd=examples)
    assert completed.returncode == 1, completed.stderr
    assert "violating/server/app/services/plugin_management_service.py:51:20: GOV101" \
        in completed.stdout
    assert "Phase 12 NOT complete" in completed.stdout
    assert "Traceback" not in completed.stderr
