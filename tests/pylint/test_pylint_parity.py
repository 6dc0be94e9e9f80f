"""Parity: the pylint plugin reports the same (line, rule) set as flake8.

Over every fixture of `tests/functional/` (whoever wrote it: the cases come from the harness,
so new fixtures are covered without touching this file), materialized as real projects and
linted by one pylint run and one flake8 run; and over the example codebases.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from functional import all_cases, materialize
from pylint_runs import assert_clean_run, run_flake8, run_pylint

CASES = all_cases()
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="module")
def fixtures_linted(tmp_path_factory):
    root = tmp_path_factory.mktemp("parity")
    targets = {str(materialize(case, root / f"project{index}").resolve()): case
               for index, case in enumerate(CASES)}
    pylint_run = run_pylint(["--recursive=y", "."], cwd=root)
    assert_clean_run(pylint_run)
    return targets, pylint_run.findings(), run_flake8(["--jobs", "2", "."], cwd=root)


def test_there_are_fixtures_to_compare():
    assert any(case.expected for case in CASES) and any(not case.expected for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_pylint_and_flake8_agree_on_every_functional_fixture(fixtures_linted, case):
    targets, pylint_found, flake8_found = fixtures_linted
    path = next(path for path, each in targets.items() if each is case)
    # Whether these are the *expected* findings is tests/test_functional.py's business.
    assert pylint_found.get(path, set()) == flake8_found.get(path, set())


def example(name: str) -> Path:
    directory = EXAMPLES / name
    if not (directory / "server").is_dir():
        pytest.skip(f"examples/{name} has not been written yet")
    return directory


def test_compliant_example_is_clean_under_pylint():
    directory = example("compliant")
    run = run_pylint(["--recursive=y", "server"], cwd=directory)
    assert_clean_run(run)
    assert run.messages == []


@pytest.mark.parametrize("name", ["violating", "phase11"])
def test_pylint_matches_flake8_on_the_examples(name):
    directory = example(name)
    run = run_pylint(["--recursive=y", "server"], cwd=directory)
    assert_clean_run(run)
    flake8_found = run_flake8(["server"], cwd=directory)
    assert flake8_found, f"examples/{name} is expected to violate Phase 12"
    assert run.findings() == flake8_found


def test_with_a_baseline_both_report_only_the_new_findings(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.phase12]\nbaseline = ".phase12-baseline.json"\n', encoding="utf-8")
    service = tmp_path / "server" / "app" / "services" / "plugin_management_service.py"
    service.parent.mkdir(parents=True)
    old = ("class PluginManagementService:\n"
           "    def execute_plugin(self, plugin, payload):\n"
           "        return plugin.run(payload)\n")
    service.write_text(old, encoding="utf-8")
    accepted = subprocess.run([sys.executable, "-m", "flake8_phase12", "baseline", ".",
                               "--no-test-command"], cwd=tmp_path, capture_output=True,
                              text=True, check=False)
    assert accepted.returncode == 0, accepted.stderr
    assert "GOV101" in (tmp_path / ".phase12-baseline.json").read_text(encoding="utf-8")
    # The accepted finding moves down two lines; a new one is added below it.
    service.write_text("# moved\n\n" + old + "\n    def again(self, plugin, payload):\n"
                       "        return plugin.run(payload)\n", encoding="utf-8")
    run = run_pylint(["server"], cwd=tmp_path)
    assert_clean_run(run)
    flake8_found = run_flake8(["server"], cwd=tmp_path)
    assert run.findings() == flake8_found == {str(service.resolve()): {(8, "GOV101")}}
