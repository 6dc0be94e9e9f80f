"""`phase12 init` on the bundled examples, and on the same server with every name changed: the
proposed configuration must make flake8 and import-linter give the same verdicts as on the
checklist-shaped original."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from init_projects import (
    EXAMPLES,
    copy_example,
    flake8_verdicts,
    lint_imports,
    rename_path,
    renamed_copy,
    run_phase12,
)

from flake8_phase12.config import load_config
from flake8_phase12.init import build_proposal, discover

pytestmark = pytest.mark.skipif(not (EXAMPLES / "compliant" / "server").is_dir(),
                                reason="the example codebases are not there")


@pytest.fixture(scope="module")
def original_verdicts() -> dict[str, set[tuple[str, int, str]]]:
    """flake8's verdicts on the checklist-shaped examples, paths renamed like the copies."""
    return {name: {(rename_path(path), line, code) for path, line, code in flake8_verdicts(EXAMPLES / name)}
            for name in ("compliant", "violating")}


@pytest.fixture(scope="module")
def renamed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The renamed compliant and violating servers after `phase12 init --write` on the compliant
    one; the violating one gets the same pyproject.toml (same layout, same names)."""
    root = tmp_path_factory.mktemp("renamed")
    compliant = renamed_copy("compliant", root / "compliant")
    violating = renamed_copy("violating", root / "violating")
    completed = run_phase12("init", "--write", cwd=compliant)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    (violating / "pyproject.toml").write_text((compliant / "pyproject.toml").read_text())
    return root


def test_the_compliant_example_needs_no_configuration():
    discovery = discover(EXAMPLES / "compliant")
    proposal = build_proposal(discovery)
    # Only the Phase 11 baseline the example shows beside it (its pyproject.toml says the same).
    assert proposal.table == {"compat": {"against": "../phase11"}}
    assert not discovery.missing
    confidence = {role.name: role.confidence for role in discovery.roles}
    assert confidence["runner"] == confidence["service chain"] == confidence["execution method"] == "high"


def test_the_compliant_example_dry_run_says_everything_is_already_configured():
    completed = run_phase12("init", "--format", "json", str(EXAMPLES / "compliant"), cwd=EXAMPLES)
    assert completed.returncode == 0, completed.stderr
    report = json.loads(completed.stdout)
    assert report["proposal"]["tool"]["phase12"] == {"compat": {"against": "../phase11"}}
    assert report["write"]["dry_run"] is True and report["write"]["files"] == []
    assert sorted(report["write"]["contracts_present"]) == ["execution-chain", "runner-gateway"]


def test_renamed_server_finds_every_role_under_its_own_names(renamed):
    discovery = discover(renamed / "compliant")
    values = {role.name: role.value for role in discovery.roles}
    assert values["execution method"] == "run_tool"
    assert values["plugin base class"] == "BaseTool"
    assert values["runner"] == "Executor.execute in server.app.workflow.executor"
    assert values["service chain"] == \
        "API -> OrchestrationService -> TaskService -> ToolService -> Executor.execute"
    assert values["input validator"] == "check_request"
    assert values["output validator"] == "check_result"
    assert values["error envelope builder"] == "make_failure"
    assert values["metrics update"].startswith("record_usage")
    assert values["route modules"] == "server.app.web.inspection"
    assert values["registry module"] == "server.app.tool_catalog"


def test_renamed_server_proposal_is_written_and_loads(renamed):
    config = load_config(renamed / "compliant" / "pyproject.toml")
    assert config.execution_methods == ("run_tool",)
    assert (config.runner.module, config.runner.class_name, config.runner.method) == \
        ("executor", "Executor", "execute")
    assert config.services.job_management.delegate_methods == ("execute_tool",)
    assert config.services.plugin_management.delegate_attributes == ("_invoker",)
    assert config.api.service_names == ("get_orchestrator",)
    assert config.layers.chain == ("web.*", "orchestration_service", "task_service", "tool_service",
                                   "executor")


def test_flake8_verdicts_on_the_renamed_server_match_the_original(renamed, original_verdicts):
    assert flake8_verdicts(renamed / "compliant") == original_verdicts["compliant"] == set()
    violating = flake8_verdicts(renamed / "violating")
    assert len(original_verdicts["violating"]) > 20
    assert violating == original_verdicts["violating"]


def test_proposed_contracts_keep_the_renamed_compliant_server_and_break_the_violating_one(renamed):
    kept = lint_imports(renamed / "compliant")
    assert kept.returncode == 0, kept.stdout
    assert "2 kept, 0 broken" in kept.stdout
    broken = lint_imports(renamed / "violating")
    assert broken.returncode == 1
    assert "server.app.workflow.task_service -> server.app.workflow.executor" in broken.stdout


def test_comments_of_the_existing_pyproject_survive_the_write(renamed):
    text = (renamed / "compliant" / "pyproject.toml").read_text()
    assert text.startswith("# The image-analysis server, with its own names.\n[project]\n")
    assert 'name = "analysis-server"  # keep this name: deployments refer to it' in text
    assert "# Tests run from the project root.\npythonpath = [\".\"]" in text
    assert "[tool.phase12.runner]" in text and "[[tool.importlinter.contracts]]" in text


def test_the_violating_variant_gets_the_same_proposal_as_the_compliant_one(renamed):
    compliant = build_proposal(discover(renamed / "compliant"))
    violating_discovery = discover(renamed / "violating")
    violating = build_proposal(violating_discovery).table
    # One difference, on purpose: the violating services' extra ways into the runner (a batch
    # method calling ToolRunner.run_batch instead of run, a retry calling the runner directly)
    # are entries too, so that the delegation rules judge them.
    extra = {"execute_batch", "retry_job"}
    services = violating["services"]
    assert services["plugin_management"]["entry_methods"] == ["execute_tool", "execute_batch"]
    assert services["job_management"]["entry_methods"] == ["run_task", "retry_job"]
    for service in services.values():
        for key in ("entry_methods", "delegate_methods"):
            if key in service:
                service[key] = [name for name in service[key] if name not in extra]
    assert violating == compliant.table
    runner = next(role for role in violating_discovery.roles if role.name == "runner")
    assert runner.confidence == "medium"
    assert "other function(s) also execute plugins" in runner.reason


def test_an_existing_phase12_table_is_replaced_only_with_force(tmp_path, original_verdicts):
    project = renamed_copy("violating", tmp_path / "server", keep_pyproject=True)
    before = (project / "pyproject.toml").read_text()
    refused = run_phase12("init", "--write", cwd=project)
    assert refused.returncode == 2
    assert refused.stderr.strip().count("\n") == 0
    assert "already has a [tool.phase12] table" in refused.stderr and "--force" in refused.stderr
    assert (project / "pyproject.toml").read_text() == before

    forced = run_phase12("init", "--write", "--force", cwd=project)
    assert forced.returncode == 0, forced.stderr
    after = (project / "pyproject.toml").read_text()
    assert 'command = "python -m pytest -q server/tests/phase_11"' in after
    assert 'against = "../phase11"' in after
    assert "# Every other [tool.phase12] setting keeps its default" in after
    # The example's own (renamed) contracts are equivalent to the proposal: none is added.
    assert after.count("[[tool.importlinter.contracts]]") == 3
    assert "already cover the proposal" in forced.stdout
    assert flake8_verdicts(project) == original_verdicts["violating"]

    again = run_phase12("init", "--write", cwd=project)
    assert again.returncode == 0, again.stderr
    assert "Nothing to write" in again.stdout


def test_copy_of_the_compliant_example_is_left_untouched_by_write(tmp_path):
    project = copy_example("compliant", tmp_path / "compliant")
    before = (project / "pyproject.toml").read_text()
    completed = run_phase12("init", "--write", cwd=project)
    assert completed.returncode == 0, completed.stderr
    assert (project / "pyproject.toml").read_text() == before
