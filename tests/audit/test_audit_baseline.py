"""Baselines: `phase12 baseline`, then audits and flake8 report only new findings; fingerprints
survive edits that shift lines; stale entries are reported."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_phase12, write_project

from flake8_phase12.audit import AuditOptions, run_audit
from flake8_phase12.baseline import (
    Baseline,
    BaselineError,
    Fingerprint,
    flagged_text,
    load_baseline,
    normalise_text,
)
from flake8_phase12.config import clear_caches

FAST = AuditOptions(run_test_command=False, jobs=1)
DIRECT = """
    class PluginManagementService:
        def execute_plugin(self, name, payload):
            plugin = self._registry.get(name)
            return plugin.run(payload)
"""


def legacy_project(root: Path, table: str = "") -> Path:
    return write_project(root, {
        "pyproject.toml": f"[tool.phase12]\n{table}\n[tool.phase12.tests]\nrequired = "
                          f"[\"test_input_validation.py\"]\n",
        "app/__init__.py": "",
        "app/plugin_management_service.py": DIRECT,
    })


def codes(result) -> list[tuple[str, str]]:
    return [(finding.code, finding.path) for finding in result.findings]


def test_fingerprint_text_ignores_whitespace_and_long_nodes():
    lines = ["def f():", "    return   plugin.run(x)  ", "", "    y = 1"]
    assert flagged_text(lines, 2, 2) == "return plugin.run(x)"
    assert flagged_text(lines, 1, 4) == "def f():"  # longer than 3 lines: the first line only
    assert flagged_text(lines, 9, 9) == ""
    assert normalise_text("  a \t b\n\n c ") == "a b\nc"


def test_counts_accept_as_many_findings_as_were_recorded_and_report_the_rest_stale():
    same = Fingerprint("a.py", "GOV101", "S.m", "plugin.run(x)")
    gone = Fingerprint("a.py", "GOV101", "S.old", "plugin.run(y)")
    baseline = Baseline.from_fingerprints([same, same, gone])
    comparison = baseline.compare([(same, "first"), (same, "second"), (same, "third")])
    assert comparison.new == ["third"] and comparison.accepted == 2
    assert comparison.stale == [(gone, 1)]


def test_baseline_then_audit_reports_only_new_findings_and_survives_line_shifts(tmp_path):
    project = legacy_project(tmp_path)
    before = run_audit(project, options=FAST)
    assert codes(before) == [("GOV290", ""), ("GOV101", "app/plugin_management_service.py")]
    completed = run_phase12("baseline", ".", "--no-test-command", cwd=project)
    assert completed.returncode == 0, completed.stderr
    assert "wrote 2 findings (2 entries)" in completed.stdout
    document = json.loads((project / ".phase12-baseline.json").read_text())
    assert document["entries"][0] == {"path": "", "code": "GOV290", "anchor": "tests",
                                      "text": "test_input_validation.py", "count": 1}
    assert document["entries"][1]["anchor"] == "PluginManagementService.execute_plugin"

    source = project / "app" / "plugin_management_service.py"
    source.write_text('"""Docs."""\n\nimport logging\n\n' + source.read_text())  # shift lines
    shifted = run_audit(project, options=FAST)
    assert shifted.findings == () and shifted.baseline.accepted == 2
    assert shifted.complete is False  # accepted findings are hidden, unverified items remain

    source.write_text(source.read_text() + "\n    def again(self, plugin):\n"
                                           "        return plugin.run(1)\n")
    grown = run_audit(project, options=FAST)
    assert [(f.code, f.anchor) for f in grown.findings] == \
        [("GOV101", "PluginManagementService.again")]

    source.write_text(DIRECT.replace("return plugin.run(payload)", "return self._runner.run(name, payload)"))
    fixed = run_audit(project, options=FAST)
    assert [(fp.code, fp.anchor, n) for fp, n in fixed.baseline.stale] == \
        [("GOV101", "PluginManagementService.execute_plugin", 1)]
    text = run_phase12("audit", ".", "--no-test-command", cwd=project).stdout
    assert "1 stale baseline entry (fixed, or moved): run `phase12 baseline`" in text


def test_a_baseline_entry_under_a_former_code_still_accepts_the_finding(tmp_path):
    """GOV608 was GOV706: a baseline written before the move keeps the finding accepted."""
    fingerprint = Fingerprint("app/api.py", "GOV706", "analyze", "service._runner.run(x)")
    path = tmp_path / "baseline.json"
    path.write_text(json.dumps({"version": 1, "entries": [fingerprint.to_dict(1)]}),
                    encoding="utf-8")
    [loaded] = load_baseline(path).entries
    assert loaded.code == "GOV608"


def test_no_baseline_reports_everything(tmp_path):
    project = legacy_project(tmp_path)
    run_phase12("baseline", ".", "--no-test-command", cwd=project)
    result = run_audit(project, options=AuditOptions(run_test_command=False, use_baseline=False))
    assert len(result.findings) == 2 and result.baseline is None


def test_a_configured_baseline_that_is_missing_or_broken_is_a_configuration_error(tmp_path):
    project = legacy_project(tmp_path, table='baseline = "accepted.json"')
    completed = run_phase12("audit", ".", "--no-test-command", cwd=project)
    assert completed.returncode == 2
    assert "accepted.json: baseline file not found; create it with `phase12 baseline`" in completed.stderr
    (project / "accepted.json").write_text('{"version": 1, "entries": [{"path": 3}]}')
    with pytest.raises(BaselineError, match="entry 0 must have string fields"):
        load_baseline(project / "accepted.json")
    (project / "accepted.json").write_text("{not json")
    with pytest.raises(BaselineError, match="invalid JSON at line 1"):
        load_baseline(project / "accepted.json")


def run_flake8(project: Path) -> list[str]:
    clear_caches()
    completed = subprocess.run([sys.executable, "-m", "flake8", "--select=GOV", "."], cwd=project,
                               capture_output=True, text=True, check=False)
    assert "Traceback" not in completed.stderr, completed.stderr
    return [line.split(" ", 2)[0] + " " + line.split(" ", 2)[1] for line in completed.stdout.splitlines()]


def test_flake8_reports_only_new_findings_when_the_baseline_is_configured(tmp_path):
    project = legacy_project(tmp_path, table='baseline = "accepted.json"')
    # Configured but not created yet: say so on line 1, and report everything meanwhile.
    assert run_flake8(project) == ["./app/plugin_management_service.py:1:1: GOV000",
                                   "./app/plugin_management_service.py:4:16: GOV101"]
    assert run_phase12("baseline", ".", "--no-test-command", cwd=project).returncode == 0
    assert (project / "accepted.json").exists()
    assert run_flake8(project) == []
    source = project / "app" / "plugin_management_service.py"
    source.write_text("\n\n" + source.read_text() + "\n    def again(self, plugin):\n"
                                                    "        return plugin.run(1)\n")
    assert run_flake8(project) == ["./app/plugin_management_service.py:9:16: GOV101"]


def test_without_a_configured_baseline_flake8_reports_everything(tmp_path):
    project = legacy_project(tmp_path)
    run_phase12("baseline", ".", "--no-test-command", cwd=project)  # the default file exists
    assert run_flake8(project) == ["./app/plugin_management_service.py:4:16: GOV101"]
