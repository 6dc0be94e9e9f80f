"""What phase12 writes: each `-o FILE` and the baseline, with one-line errors for paths that
cannot or must not be written; baselines of a subdirectory, fingerprints that ignore comments,
and the test command, which only the audit runs unasked."""

from __future__ import annotations

import json
import stat
import sys
from pathlib import Path

import pytest
from conftest import run_phase12, write_project

PROJECT = {
    "pyproject.toml": "[tool.phase12]\n[tool.phase12.tests]\nrequired = []\n",
    "app/__init__.py": "",
    "app/helpers.py": "def helper(plugin):\n    return plugin.run(1)\n",
    "app/sub/__init__.py": "",
    "app/sub/more.py": "def more(plugin):\n    return plugin.run(2)\n",
}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_project(tmp_path / "project", PROJECT)


@pytest.mark.parametrize("command", [
    ("audit", "--no-test-command", "."), ("compat", "--against", "."), ("snapshot", "."),
])
@pytest.mark.parametrize("output, problem", [
    (".", "is a directory; give the path of a file"),
    ("pyproject.toml", "is the project's own configuration (pyproject.toml); write to another file"),
    ("setup.cfg", "is the project's own configuration (setup.cfg); write to another file"),
    (".phase12-baseline.json", "is the project's own configuration (.phase12-baseline.json); write "
                               "to another file"),
    ("missing/report.txt", "cannot write it (no directory {project}/missing)"),
])
def test_an_output_path_that_cannot_be_written_is_one_line_and_nothing_runs(
        project, command, output, problem):
    (project / "setup.cfg").write_text("[flake8]\n")
    before = {name: (project / name).read_bytes() for name in ("pyproject.toml", "setup.cfg")}
    completed = run_phase12(*command[:1], "-o", output, *command[1:], cwd=project)
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert completed.stderr == f"phase12: error: {output}: {problem.format(project=project)}\n"
    assert {name: (project / name).read_bytes() for name in before} == before


def test_an_unwritable_output_is_one_line(project):
    import unprivileged

    with unprivileged.shared_directory() as shared:
        import shutil

        copy = shutil.copytree(project, shared / "project")
        unprivileged.readable_by_all(shared)
        completed = unprivileged.phase12("audit", "--no-test-command", "-o", "report.txt", ".",
                                         cwd=copy)
        assert (completed.returncode, completed.stdout) == (2, "")
        assert completed.stderr == "phase12: error: report.txt: cannot write it (permission denied)\n"


def test_a_report_replaces_its_file_atomically_and_keeps_its_mode(project):
    report = project / "report.json"
    report.write_text("old\n")
    report.chmod(0o640)
    inode = report.stat().st_ino
    completed = run_phase12("audit", "--no-test-command", "--format", "json", "-o", "report.json",
                            ".", cwd=project)
    assert completed.returncode == 1, completed.stderr
    assert json.loads(report.read_text())["schema_version"] == 1
    assert stat.S_IMODE(report.stat().st_mode) == 0o640
    # Replaced by a rename, not truncated and rewritten: a reader never sees half a report.
    assert report.stat().st_ino != inode
    assert sorted(path.name for path in project.iterdir() if path.name.startswith(".")) == []


@pytest.mark.parametrize("where", ["-o", "configured"])
def test_a_baseline_outside_the_project_is_refused(project, where):
    outside = project.parent / "elsewhere.json"
    if where == "configured":
        pyproject = project / "pyproject.toml"
        pyproject.write_text(pyproject.read_text().replace(
            "[tool.phase12]\n", '[tool.phase12]\nbaseline = "../elsewhere.json"\n'))
        completed = run_phase12("baseline", ".", cwd=project)
        shown = project / "../elsewhere.json"
    else:
        completed = run_phase12("baseline", "-o", str(outside), ".", cwd=project)
        shown = outside
    assert completed.returncode == 2
    assert completed.stderr == (f"phase12: error: {shown}: outside the project ({project}); keep "
                                "the baseline in the project it records\n")
    assert not outside.exists()


def entries(project: Path) -> list[tuple[str, str, str]]:
    document = json.loads((project / ".phase12-baseline.json").read_text())
    return [(entry["path"], entry["code"], entry["text"]) for entry in document["entries"]]


def test_a_baseline_of_a_subdirectory_keeps_the_entries_outside_it(project):
    assert run_phase12("baseline", ".", cwd=project).returncode == 0
    assert entries(project) == [("app/helpers.py", "GOV101", "return plugin.run(1)"),
                                ("app/sub/more.py", "GOV101", "return plugin.run(2)")]
    (project / "app" / "sub" / "more.py").write_text(
        "def more(plugin):\n    return plugin.run(3)\n")
    completed = run_phase12("baseline", "app/sub", cwd=project)
    assert completed.returncode == 0, completed.stderr
    assert "kept 1 of files outside app/sub" in completed.stdout
    assert entries(project) == [("app/helpers.py", "GOV101", "return plugin.run(1)"),
                                ("app/sub/more.py", "GOV101", "return plugin.run(3)")]
    # An audit of the subdirectory does not call the entries outside it stale.
    audited = run_phase12("audit", "--no-test-command", "--format", "json", "app/sub", cwd=project)
    report = json.loads(audited.stdout)
    assert report["baseline"]["accepted"] == 1 and report["baseline"]["stale"] == []


def test_a_trailing_comment_changes_no_fingerprint(project):
    assert run_phase12("baseline", ".", cwd=project).returncode == 0
    helpers = project / "app" / "helpers.py"
    helpers.write_text(helpers.read_text().replace("plugin.run(1)", "plugin.run(1)  # noqa: E501"))
    audited = json.loads(run_phase12("audit", "--no-test-command", "--format", "json", ".",
                                     cwd=project).stdout)
    assert [f for f in audited["findings"] if f["code"] == "GOV101"] == []
    assert audited["baseline"]["stale"] == []
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace(
        "[tool.phase12]\n", '[tool.phase12]\nbaseline = ".phase12-baseline.json"\n'))
    flake8 = __import__("subprocess").run([sys.executable, "-m", "flake8", "--select=GOV", "app"],
                                          cwd=project, capture_output=True, text=True, check=False)
    assert flake8.stdout == ""
    # A baseline written before comments were left out, quoting the comment, still matches.
    baseline = project / ".phase12-baseline.json"
    document = json.loads(baseline.read_text())
    for entry in document["entries"]:
        entry["text"] += "  # noqa: E501"
    baseline.write_text(json.dumps(document))
    helpers.write_text(helpers.read_text().replace("  # noqa: E501", ""))
    audited = json.loads(run_phase12("audit", "--no-test-command", "--format", "json", ".",
                                     cwd=project).stdout)
    assert [f for f in audited["findings"] if f["code"] == "GOV101"] == []


def test_baseline_runs_the_test_command_only_when_asked(project):
    marker = project / "suite-ran"
    (project / "suite.py").write_text(f"import pathlib, sys\npathlib.Path({str(marker)!r}).touch()\n"
                                      "sys.exit(1)\n")
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + f'command = "{sys.executable} suite.py"\n')
    assert run_phase12("baseline", ".", cwd=project).returncode == 0
    assert not marker.exists()
    assert [code for _, code, _ in entries(project)] == ["GOV101", "GOV101"]
    assert run_phase12("baseline", "--test-command", ".", cwd=project).returncode == 0
    assert marker.exists()
    assert "GOV890" in [code for _, code, _ in entries(project)]


def test_help_says_the_audit_runs_code_of_the_repository(project):
    audit = run_phase12("audit", "--help", cwd=project).stdout
    assert "The audit runs code of the repository, as pytest, tox and lint-imports do" in \
        " ".join(audit.split())
    baseline = run_phase12("baseline", "--help", cwd=project).stdout
    assert "runs code from the repository's configuration, as pytest and tox do (default: not run)" \
        in " ".join(baseline.split())
