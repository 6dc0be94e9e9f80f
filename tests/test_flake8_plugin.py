"""The flake8 plugin as users run it: real `flake8` processes on small projects."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from flake8_phase12.config import config_from_mapping
from flake8_phase12.lint_file import check_file
from flake8_phase12.rule_index import all_checks
from flake8_phase12.rules import Check

VIOLATION = textwrap.dedent("""\
    class PluginManagementService:
        def execute_plugin(self, plugin, payload):
            return plugin.run(payload)
    """)
SERVICE = "server/app/services/plugin_management_service.py"


def flake8(cwd: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flake8", *args], cwd=cwd, input=stdin,
                          capture_output=True, text=True, check=False)


def project(tmp_path: Path, pyproject: str = "[tool.phase12]\n", files: dict | None = None) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    for name, text in (files or {SERVICE: VIOLATION}).items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return tmp_path


def test_reports_a_violation_with_code_position_and_fix(tmp_path):
    result = flake8(project(tmp_path), "--select=GOV", ".")
    assert result.returncode == 1
    line = result.stdout.strip()
    assert line.startswith(f"./{SERVICE}:3:16: GOV101 `plugin.run(...)` executes a plugin")
    assert "call `ToolRunner.run(...)` instead" in line
    assert "Phase 12 §1" in line and "phase12 rules GOV101" in line


def test_noqa_with_the_code_suppresses_and_other_codes_do_not(tmp_path):
    suppressed = VIOLATION.replace("run(payload)", "run(payload)  # noqa: GOV101")
    other = VIOLATION.replace("run(payload)", "run(payload)  # noqa: E501")
    files = {SERVICE: suppressed, "server/app/services/job_management_service.py": other}
    result = flake8(project(tmp_path, files=files), "--select=GOV", ".")
    assert "plugin_management_service.py" not in result.stdout
    assert "job_management_service.py:3:16: GOV101" in result.stdout


def test_select_without_gov_turns_the_plugin_off_and_extend_select_keeps_it(tmp_path):
    # Documented in the README: an explicit `select = E,F,W` silently drops plugin codes.
    project(tmp_path)
    (tmp_path / "setup.cfg").write_text("[flake8]\nselect = E,F,W\n", encoding="utf-8")
    assert "GOV101" not in flake8(tmp_path, ".").stdout
    (tmp_path / "setup.cfg").write_text("[flake8]\nselect = E,F,W\nextend-select = GOV\n",
                                        encoding="utf-8")
    assert "GOV101" in flake8(tmp_path, ".").stdout


@pytest.mark.parametrize(("table", "expected"), [
    ("[tool.phase12]\nexecution_method = ['run']\n",
     "unknown key 'tool.phase12.execution_method'; did you mean 'execution_methods'?"),
    ("[tool.phase12.runner]\nclas = 'Runner'\n",
     "unknown key 'tool.phase12.runner.clas'; did you mean 'class'?"),
    ("[tool.phase12]\nexecution_methods = ['run']\nexclude = 3\n",
     "'tool.phase12.exclude' must be a list of strings, got an integer (3)"),
    ("[tool.phase12\n", "invalid TOML"),
])
def test_bad_configuration_is_one_clear_line_without_traceback(tmp_path, table, expected):
    result = flake8(project(tmp_path, table), "--select=GOV", ".")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    output = result.stdout + result.stderr  # flake8 prints its critical errors on stdout
    assert expected in output
    assert str(tmp_path / "pyproject.toml") in output
    assert len([line for line in output.splitlines() if "phase12" in line]) == 1


def test_missing_explicit_config_file_is_a_clear_error(tmp_path):
    result = flake8(project(tmp_path), "--select=GOV", "--phase12-config=nowhere.toml", ".")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "nowhere.toml: configuration file not found" in result.stdout + result.stderr


def test_explicit_config_file_overrides_discovery(tmp_path):
    project(tmp_path)
    (tmp_path / "gov.toml").write_text("execution_methods = ['execute']\n", encoding="utf-8")
    result = flake8(tmp_path, "--select=GOV", "--phase12-config=gov.toml", ".")
    assert "GOV101" not in result.stdout  # `run` is no longer an execution method


def test_broken_config_of_one_subproject_reports_there_and_lints_the_rest(tmp_path):
    project(tmp_path)
    broken = tmp_path / "legacy"
    project(broken, "[tool.phase12]\nrunner = 'yes'\n")
    result = flake8(tmp_path, "--select=GOV", ".")
    assert "Traceback" not in result.stderr
    assert f"./{SERVICE}:3:16: GOV101" in result.stdout
    assert (f"./legacy/{SERVICE}:1:1: GOV000 configuration error: {broken / 'pyproject.toml'}: "
            "'tool.phase12.runner' must be a table") in result.stdout


def test_syntax_errors_are_flake8s_business_and_other_files_are_still_linted(tmp_path):
    files = {SERVICE: VIOLATION, "server/app/broken.py": "def broken(:\n"}
    result = flake8(project(tmp_path, files=files), "--select=GOV,E999", ".")
    assert "Traceback" not in result.stderr
    assert "broken.py:1:" in result.stdout and "E999" in result.stdout
    assert "GOV101" in result.stdout and "GOV000" not in result.stdout


def test_configuration_is_found_from_the_stdin_display_name(tmp_path):
    sub = tmp_path / "sub"
    project(sub, "[tool.phase12]\nexecution_methods = ['execute']\n")
    text = VIOLATION.replace("run(", "execute(")
    result = flake8(tmp_path, "--select=GOV", f"--stdin-display-name=sub/{SERVICE}", "-", stdin=text)
    assert f"sub/{SERVICE}:3:16: GOV101 `plugin.execute(...)`" in result.stdout


class ExplodingCheck(Check):
    rules = ()

    def run(self, ctx):
        raise RecursionError("maximum recursion depth exceeded")


def test_a_crashing_check_becomes_gov000_and_the_other_checks_still_report():
    config = config_from_mapping({})
    findings = check_file(ast.parse(VIOLATION), f"/project/{SERVICE}", config, VIOLATION,
                          checks=(ExplodingCheck(), *all_checks()))
    codes = [finding.code for finding in findings]
    assert "GOV101" in codes
    internal = [finding for finding in findings if finding.code == "GOV000"]
    assert len(internal) == 1
    assert internal[0].message.startswith(
        "GOV000 internal error in ExplodingCheck: RecursionError: maximum recursion depth exceeded")


def test_importing_the_flake8_plugin_loads_no_other_host_tool():
    code = ("import sys, ast, flake8_phase12.flake8 as plugin\n"
            "from flake8_phase12.rule_index import all_checks\n"
            "all_checks()\n"
            "heavy = {'pylint', 'astroid', 'griffe', 'importlinter', 'grimp', 'tomlkit'}\n"
            "print(sorted(heavy & {name.split('.')[0] for name in sys.modules}))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


ROUTE_SKIP = textwrap.dedent("""\
    from server.app.services.tool_runner import ToolRunner{comment}
    """)


@pytest.mark.parametrize("comment, reported", [
    ("", True), ("  # noqa: GOV608", False), ("  # noqa: GOV706", False),
    ("  # noqa: E501,GOV706", False), ("  # noqa: GOV101", True)])
def test_noqa_with_a_moved_code_still_suppresses_its_rule(tmp_path, comment, reported):
    """GOV706 became GOV608: a `# noqa: GOV706` written before still applies."""
    files = {"server/app/api/analyze.py": ROUTE_SKIP.format(comment=comment)}
    result = flake8(project(tmp_path, files=files), "--select=GOV", ".")
    assert ("analyze.py:1:1: GOV608" in result.stdout) is reported, result.stdout
