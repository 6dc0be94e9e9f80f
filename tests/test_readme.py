"""The README says what users must know to trust the verdict, each in one place."""

from __future__ import annotations

import re
from pathlib import Path

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    match = re.search(rf"^(#+) {re.escape(title)}\n(.*?)(?=^#{{1,3}} )", README, re.M | re.S)
    assert match, f"no section '{title}'"
    return match.group(2)


def test_the_security_note_says_what_the_audit_runs_and_what_the_cache_trusts():
    note = " ".join(section("Security").split())
    for said in ("[tool.phase12.tests] command", "--no-test-command", "--test-command",
                 "contract types", "never import or execute", "without importing anything",
                 "belongs to the current user", "nobody else may write", "no larger than 1 MiB",
                 "never a copy of the file"):
        assert said in note, said


def test_suppression_is_explained_in_one_place():
    explained = section("Suppressing a finding")
    assert "# noqa: GOV101" in explained and "# pylint: disable=direct-plugin-execution" in explained
    rest = README.replace(explained, "")
    assert "# noqa:" not in rest and "# pylint: disable=" not in rest


def test_the_test_command_is_said_to_run_code_of_the_repository():
    audit = " ".join(section("The audit, baselines and CI formats").split())
    assert "`tests.command` runs code from the repository's configuration, as `pytest` and `tox` do" \
        in audit


def test_the_readme_command_leaves_the_slow_tests_to_ci_and_says_so():
    root = Path(__file__).resolve().parents[1]
    pyproject = (root / "pyproject.toml").read_text(encoding="utf-8")
    assert "addopts = \"-ra -m 'not slow'\"" in pyproject
    ci = (root / ".ci" / "run").read_text(encoding="utf-8")
    assert 'python -m pytest -n 2 -m "slow or not slow"' in ci.splitlines()
    said = " ".join(README.split())
    assert 'Tests marked `slow`' in said
    assert '`python -m pytest -n 2 -m "slow or not slow"` runs everything, as CI (`.ci/run`) does' in said
    assert (root / "benchmarks" / "bench_test_suite.py").is_file()  # the time is measured there
