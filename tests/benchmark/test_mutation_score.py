"""The detection benchmark (`benchmarks/mutation_score.py`) on a tiny corpus of its own.

`tests/benchmark/tiny/` is a small compliant server in the practice corpora's format, with
mutants chosen to exercise the benchmark rather than the rules: ones every mode detects, one
declared out of scope, a control edit (a docstring) that no tool can see and that must be
reported missed, and a Phase 11 change only the audit's compatibility check sees.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
SCRIPT = BENCHMARKS / "mutation_score.py"
TINY = Path(__file__).resolve().parent / "tiny"
sys.path.insert(0, str(BENCHMARKS))

# pylint: disable=wrong-import-position
from detection.configure import configured  # noqa: E402
from detection.corpora import Mutant  # noqa: E402
from detection.report import render_readme  # noqa: E402
from detection.scoring import new_findings, score  # noqa: E402
from detection.tools import Observed, ToolRun  # noqa: E402


def run_benchmark(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True,
                          check=False, timeout=600)


@pytest.fixture(scope="module")
def tiny_results() -> dict:
    done = run_benchmark("--corpus", str(TINY), "--json", "-j", "2")
    assert done.returncode == 0, done.stderr
    return {run["mode"]: run for run in json.loads(done.stdout)["runs"]}


def mutant(run: dict, mutant_id: str) -> dict:
    return next(item for item in run["mutants"] if item["id"] == mutant_id)


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["adopted", "configured"])
def test_structural_mutants_are_detected_by_flake8_and_the_audit(tiny_results, mode):
    run = tiny_results[mode]
    for mutant_id in ("T101", "T201", "T401"):
        assert mutant(run, mutant_id)["detected"] == {"flake8": True, "audit": True}, mutant_id
    assert run["false_positives"] == {"flake8": [], "audit": []}
    assert run["lookalikes_flagged"] == {"flake8": [], "audit": []}


@pytest.mark.slow
def test_a_control_edit_is_reported_missed_and_out_of_scope_is_scored_apart(tiny_results):
    run = tiny_results["configured"]
    control = mutant(run, "T499")
    assert control["detected"] == {"flake8": False, "audit": False}
    assert control["new"] == {"flake8": [], "audit": []}
    assert mutant(run, "T202")["in_scope"] is False
    # T202 is out of scope; T499 is the one in-scope miss of section 4.
    assert run["sections"]["2"] == {"detected": 1, "total": 1}
    assert run["sections"]["4"] == {"detected": 1, "total": 2}


@pytest.mark.slow
def test_section_8_is_the_audit_compatibility_check_against_phase11(tiny_results):
    change = mutant(tiny_results["configured"], "T801")
    assert change["detected"]["audit"] is True
    assert change["detected"]["flake8"] is False
    assert any(finding["code"] == "GOV805" for finding in change["new"]["audit"])
    assert tiny_results["configured"]["sections"]["8"] == {"detected": 1, "total": 1}


@pytest.mark.slow
def test_roles_the_configuration_cannot_express_are_gaps(tiny_results):
    assert any(gap.startswith("composition_roots") for gap in tiny_results["configured"]["gaps"])
    assert tiny_results["adopted"]["gaps"] == []


@pytest.mark.slow
def test_findings_on_the_compliant_tree_are_false_positives(tmp_path):
    corpus = tmp_path / "tiny"
    shutil.copytree(TINY, corpus)
    warmup = corpus / "clean" / "shop" / "warmup.py"
    warmup.write_text('"""Warms the plugins up at import."""\n\nfrom shop.plugins import EchoPlugin\n\n'
                      'plugin = EchoPlugin()\nplugin.run({"text": "warm"})\n', encoding="utf-8")
    (corpus / "lookalikes.json").write_text(json.dumps(
        [{"file": "shop/warmup.py", "line": 6, "why": "a planted execution"}]), encoding="utf-8")
    done = run_benchmark("--corpus", str(corpus), "--json", "--mode", "configured",
                         "--tools", "flake8", "--mutant", "T101")
    assert done.returncode == 0, done.stderr
    run = json.loads(done.stdout)["runs"][0]
    assert [(finding["code"], finding["path"], finding["line"])
            for finding in run["false_positives"]["flake8"]] == [("GOV101", "shop/warmup.py", 6)]
    assert run["lookalikes_flagged"]["flake8"] == [{"file": "shop/warmup.py", "line": 6, "code": "GOV101"}]


@pytest.mark.slow
def test_the_readme_table_is_regenerated_between_its_markers(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# Title\n\n<!-- detection:start -->\nold\n<!-- detection:end -->\n\nafter\n",
                      encoding="utf-8")
    done = run_benchmark("--corpus", str(TINY), "--mode", "configured", "--tools", "flake8",
                         "--mutant", "T101", "T201", "--write-readme", "--readme", str(readme))
    assert done.returncode == 0, done.stderr
    text = readme.read_text(encoding="utf-8")
    assert "old" not in text and text.endswith("after\n")
    assert "| tiny | configured | 1/1 | 1/1 | - | - | - | - | - | - | 100% | flake8 0 |" in text


def test_a_readme_without_the_markers_fails_before_the_run(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# no table here\n", encoding="utf-8")
    done = run_benchmark("--corpus", str(TINY), "--write-readme", "--readme", str(readme))
    assert done.returncode != 0
    assert "detection:start" in done.stderr
    with pytest.raises(SystemExit):
        render_readme("nothing", [], ("flake8",), 0.95)


def test_an_unknown_corpus_is_a_one_line_error():
    done = run_benchmark("--corpus", "no-such-corpus")
    assert done.returncode != 0
    assert done.stderr.strip().splitlines()[-1].startswith("mutation_score: unknown corpus no-such-corpus")


# -- scoring ---------------------------------------------------------------------------------------

EDIT = Mutant(id="X1", section=4, file="app/runner.py", find="a", replace="b", why="", also_sections=(5,))


def found(code: str, section: int, path: str, line: int, message: str = "m") -> Observed:
    return Observed(code, section, path, line, message)


def test_a_finding_the_compliant_tree_had_is_not_new_even_when_its_line_moved():
    clean = ToolRun("flake8", [found("GOV401", 4, "app/runner.py", 10, "at line 10: no try")])
    mutated = ToolRun("flake8", [found("GOV401", 4, "app/runner.py", 12, "at line 12: no try"),
                                 found("GOV401", 4, "app/runner.py", 30, "another")])
    assert [finding.line for finding in new_findings(clean, mutated, "flake8", "app/runner.py")] == [30]


def test_only_the_mutated_file_counts_for_file_tools_and_project_findings_for_the_audit():
    clean = {"flake8": ToolRun("flake8"), "audit": ToolRun("audit", complete=True)}
    elsewhere = found("GOV502", 5, "app/other.py", 3)
    project = found("GOV680", 6, "app/other.py", 1)
    mutated = {"flake8": ToolRun("flake8", [elsewhere]),
               "audit": ToolRun("audit", [elsewhere, project], complete=False)}
    result = score(EDIT, True, clean, mutated)
    assert result.detected == {"flake8": False, "audit": False}  # §6 is not the mutant's section
    assert result.new["audit"] == [project]


def test_an_audit_that_still_says_complete_has_not_detected_the_mutant():
    clean = {"audit": ToolRun("audit", complete=True)}
    hit = found("GOV502", 5, "app/runner.py", 3)
    still_complete = {"audit": ToolRun("audit", [hit], complete=True)}
    withdrawn = {"audit": ToolRun("audit", [hit], complete=False)}
    assert score(EDIT, True, clean, still_complete).detected == {"audit": False}
    assert score(EDIT, True, clean, withdrawn).detected == {"audit": True}


# -- roles.json as a reader reads it ----------------------------------------------------------------

def test_roles_written_as_names_lists_or_maps_give_the_same_table(tmp_path):
    as_objects = {
        "runner": [{"module": "svc.exec", "qualname": "Executor.go", "kind": "entry"}],
        "input_validator": {"module": "svc.checks", "qualname": "check_in"},
        "metric_fields": {"success_count": "wins", "error_count": "losses"},
        "states": {"SUCCESS": "Health.GOOD", "ERROR": "Health.BAD"},
    }
    as_names = {
        "runner": {"module": "svc.exec", "qualname": "Executor.go"},
        "input_validator": "svc.checks.check_in",
        "metric_fields": ["wins", "losses"],
        "states": {"success": "GOOD", "error": "BAD"},
    }
    first = configured(as_objects, tmp_path).phase12
    second = configured(as_names, tmp_path).phase12
    assert first["runner"] == second["runner"] == {"module": "svc.exec", "class": "Executor", "method": "go"}
    assert first["validation"] == second["validation"] == {"input_validator": "check_in"}
    assert first["metrics"]["states"] == second["metrics"]["states"] == ["GOOD", "BAD"]
    assert first["metrics"]["success_field"] == "wins"


def test_more_runners_are_runner_roles_and_a_function_service_is_configured(tmp_path):
    roles = {
        "runner": [{"module": "svc.exec", "qualname": "run_one", "kind": "function"},
                   {"module": "svc.exec", "qualname": "run_one_async", "kind": "async_function"},
                   {"module": "svc.aio", "qualname": "Pump.run_many", "kind": "entry"},
                   {"module": "svc.exec", "qualname": "_drive", "kind": "helper"}],
        "chain": [{"layer": "api", "module": "svc.routes"},
                  {"layer": "analysis", "module": "svc.analysis", "symbol": "analyse",
                   "calls": "jobs.submit(...)"},
                  {"layer": "plugin_management", "module": "svc.gate", "symbol": "Gate"},
                  {"layer": "runner", "module": "svc.exec", "symbol": "run_one"}],
        "packages": ["svc"],
    }
    result = configured(roles, tmp_path)
    assert result.phase12["runner"] == {"module": "svc.exec", "class": "", "function": "run_one",
                                        "also": ["svc.exec:run_one_async", "svc.aio:Pump.run_many"]}
    assert not any("run_one_async" in gap or "run_many" in gap for gap in result.gaps)
    assert any("_drive" in gap for gap in result.gaps)  # a helper is no runner role
    gateway = result.importlinter["contracts"][-1]
    assert gateway["protected_modules"] == ["svc.aio", "svc.exec"]
    # A layer of module-level functions is configured without a class, its functions as entries.
    assert not any("analyse" in gap for gap in result.gaps)
    assert result.phase12["services"]["analysis"]["class"] == ""
    assert result.phase12["services"]["analysis"]["entry_methods"] == ["analyse"]
    assert result.phase12["layers"]["chain"] == ["svc.routes", "svc.analysis", "svc.gate", "svc.exec"]


def test_sanctioned_executors_are_written_with_the_modules_of_their_allowed_callers(tmp_path):
    (tmp_path / "src" / "svc" / "engine").mkdir(parents=True)
    (tmp_path / "src" / "svc" / "engine" / "core.py").write_text("class Engine: ...\n")
    roles = {
        "source_roots": ["src"],
        "runner": [{"module": "svc.engine.core", "qualname": "Engine.run", "kind": "entry"}],
        "sanctioned_executors": [
            {"module": "svc.jail", "qualname": "confine", "allowed_callers": ["svc.engine.core.Engine"]},
            {"module": "svc.old", "qualname": "legacy_run"},
        ],
    }
    result = configured(roles, tmp_path)
    assert result.phase12["sanctioned_executors"] == {"svc.jail:confine": ["svc.engine.core"]}
    assert result.phase12["sanctioned_modules"] == ["svc.old"]
    assert not any("sanctioned" in gap for gap in result.gaps)


def test_the_project_contracts_are_placed_in_the_section_the_audit_gives_them(tmp_path):
    """`--tools lint-imports` reads each contract's section as the audit decides it (it failed
    with an AttributeError when the audit's contract configuration was reshaped)."""
    import mutation_score  # pylint: disable=import-outside-toplevel

    (tmp_path / "pyproject.toml").write_text(
        '[tool.phase12]\n\n[tool.importlinter]\nroot_packages = ["app"]\n\n'
        '[[tool.importlinter.contracts]]\nname = "the services never import the API"\n'
        'type = "forbidden"\nsource_modules = ["app.services"]\nforbidden_modules = ["app.api"]\n',
        encoding="utf-8")
    sections = mutation_score.contract_sections(tmp_path)
    assert list(sections) == ["the services never import the API"]
    assert sections["the services never import the API"] in range(1, 9)
