"""`phase12 init` as a user runs it: exit codes, one-line errors, the text and JSON reports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from init_projects import INJECTED, run_phase12, under_src, write_project


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_project(tmp_path / "project", INJECTED)


def one_line_error(completed) -> str:
    assert completed.returncode == 2
    assert completed.stdout == ""
    lines = completed.stderr.strip().splitlines()
    assert len(lines) == 1, completed.stderr
    return lines[0]


def test_missing_path_is_a_usage_error(tmp_path):
    error = one_line_error(run_phase12("init", "nowhere", cwd=tmp_path))
    assert error == "phase12: error: nowhere: no such directory (give the project root)"


def test_a_file_is_not_a_project_root(project):
    error = one_line_error(run_phase12("init", "app/container.py", cwd=project))
    assert error == "phase12: error: app/container.py: not a directory (give the project root)"


def test_unparseable_pyproject_names_the_file(project):
    (project / "pyproject.toml").write_text("[tool.phase12\nrunner = 1\n")
    error = one_line_error(run_phase12("init", cwd=project))
    assert error.startswith("phase12: error: pyproject.toml: invalid TOML: ")


def test_undecodable_pyproject_is_unreadable_not_invalid_toml(project):
    (project / "pyproject.toml").write_bytes(b"[tool.phase12]\nrunner = '\xff'\n")
    error = one_line_error(run_phase12("init", cwd=project))
    assert error.startswith("phase12: error: pyproject.toml: cannot read it ("), error
    assert "utf-8" in error


def test_invalid_existing_phase12_table_names_the_key(project):
    (project / "pyproject.toml").write_text("[tool.phase12]\nexecution-methods = 3\n")
    error = one_line_error(run_phase12("init", cwd=project))
    assert error == ("phase12: error: pyproject.toml: 'tool.phase12.execution-methods' must be a "
                     "list of strings, got an integer (3)")


def test_unparseable_setup_cfg_names_the_file(project):
    (project / "setup.cfg").write_text("[importlinter\nroot_package = app\n")
    error = one_line_error(run_phase12("init", cwd=project))
    assert error.startswith("phase12: error: setup.cfg: invalid INI: ")


def test_force_without_write_is_a_usage_error(project):
    assert one_line_error(run_phase12("init", "--force", cwd=project)) == \
        "phase12: error: --force only applies with --write"


def test_missing_roles_exit_1_and_say_how_to_configure_them(tmp_path):
    project = write_project(tmp_path / "plain", {"calc/ops.py": "def add(a, b):\n    return a + b\n"})
    completed = run_phase12("init", "--write", cwd=project)
    assert completed.returncode == 1
    assert "Missing: execution method, runner. Configure by hand:" in completed.stdout
    assert "execution_methods" in completed.stdout and "[tool.phase12.runner]" in completed.stdout
    assert not (project / "pyproject.toml").exists()


def test_text_report_shows_each_role_with_confidence_and_evidence(project):
    completed = run_phase12("init", cwd=project)
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    runner = next(index for index, line in enumerate(lines) if line.strip().startswith("runner "))
    assert lines[runner].split() == ["runner", "high", "Executor.execute", "in", "app.engine.executor"]
    assert "at app/engine/executor.py:12" in "\n".join(lines[runner:runner + 4])
    assert "Proposed [tool.phase12] (only what differs from the defaults):" in completed.stdout
    assert "Proposed import-linter contracts (pyproject.toml):" in completed.stdout


def test_json_report(project):
    completed = run_phase12("init", "--format", "json", cwd=project)
    assert completed.returncode == 0, completed.stderr
    report = json.loads(completed.stdout)
    assert report["missing"] == []
    by_role = {role["role"]: role for role in report["roles"]}
    assert by_role["runner"]["value"] == "Executor.execute in app.engine.executor"
    assert by_role["runner"]["confidence"] == "high"
    assert by_role["input validator"]["evidence"] == ["app/engine/executor.py:16", "app/checks.py:1"]
    assert report["proposal"]["tool"]["phase12"]["runner"]["method"] == "execute"
    importlinter = report["proposal"]["importlinter"]
    assert importlinter["file"] == "pyproject.toml"
    assert [contract["type"] for contract in importlinter["contracts"]] == ["strict_layers", "sole_gateway"]
    assert report["write"]["dry_run"] is True and report["write"]["files"] == ["pyproject.toml"]


def test_json_report_of_a_refused_dry_run(project):
    (project / "pyproject.toml").write_text("[tool.phase12]\nbaseline = \"accepted.json\"\n")
    completed = run_phase12("init", "--format", "json", cwd=project)
    assert completed.returncode == 0
    assert "--force" in json.loads(completed.stdout)["write_refused"]


def test_init_is_listed_by_the_phase12_command(tmp_path):
    completed = run_phase12("--help", cwd=tmp_path)
    assert "init" in completed.stdout


def test_phase12_key_that_is_not_a_table_names_the_file(project):
    (project / "pyproject.toml").write_text("[tool]\nphase12 = 3\n")
    assert one_line_error(run_phase12("init", cwd=project)) == \
        "phase12: error: pyproject.toml: [tool.phase12] must be a table"


def test_src_layout_next_step_gives_a_lint_imports_command_that_works(tmp_path):
    project = write_project(tmp_path / "src_layout", under_src(INJECTED))
    written = run_phase12("init", "--write", cwd=project)
    assert written.returncode == 0, written.stderr
    last = written.stdout.strip().splitlines()[-1]
    assert "`PYTHONPATH=src lint-imports`" in last, last
    # What the line says: plain lint-imports does not find the packages, the given command does.
    executable = str(Path(sys.executable).with_name("lint-imports"))
    plain = subprocess.run([executable, "--no-cache"], cwd=project, capture_output=True,
                           text=True, check=False, env={**os.environ, "PYTHONPATH": ""})
    assert plain.returncode != 0 and "Could not find package" in plain.stdout + plain.stderr
    given = subprocess.run([executable, "--no-cache"], cwd=project, capture_output=True,
                           text=True, check=False, env={**os.environ, "PYTHONPATH": "src"})
    assert given.returncode == 0, given.stdout + given.stderr
    assert "2 kept, 0 broken" in given.stdout


def test_flat_layout_next_step_is_plain_lint_imports(project):
    written = run_phase12("init", "--write", cwd=project)
    last = written.stdout.strip().splitlines()[-1]
    assert last.endswith("Check with `flake8 --select GOV` and `lint-imports`."), last
