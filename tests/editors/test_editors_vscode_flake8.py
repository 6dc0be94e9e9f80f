"""flake8 as VS Code's flake8 extension calls it on an unsaved buffer.

microsoft/vscode-flake8 (`importStrategy: fromEnvironment`) runs the environment's flake8 with
its own `--format`, from the workspace root, and sends the buffer on stdin with the absolute
path as `--stdin-display-name`. The plugin must lint the buffer (not the file on disk), and find
`[tool.phase12]` from the display name's directory: a workspace holding several projects has
one configuration per project, and the working directory says nothing about which applies.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

VSCODE_FORMAT = "--format=%(row)d,%(col)d,%(code).1s,%(code)s:%(text)s"
VSCODE_LINE = re.compile(r"^(?P<row>\d+),(?P<col>\d+),(?P<type>\w),(?P<code>\w+):(?P<text>.*)$")
SERVICE = "server/app/services/plugin_management_service.py"

SAVED = textwrap.dedent("""\
    class PluginManagementService:
        def execute_plugin(self, plugin_name, payload):
            return self._runner.run(plugin_name, payload)
    """)
# The unsaved buffer: `execute` is this project's plugin execution method.
BUFFER = textwrap.dedent("""\
    class PluginManagementService:
        def execute_plugin(self, plugin, payload):
            return plugin.execute(payload)
    """)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A workspace root (checklist defaults) holding a project that names things its own way."""
    (tmp_path / "pyproject.toml").write_text("[tool.phase12]\n", encoding="utf-8")
    backend = tmp_path / "backend"
    backend.mkdir()
    (backend / "pyproject.toml").write_text(
        "[tool.phase12]\nexecution_methods = ['execute']\n", encoding="utf-8")
    for project in (tmp_path, backend):
        target = project / SERVICE
        target.parent.mkdir(parents=True)
        target.write_text(SAVED, encoding="utf-8")
    return tmp_path


def lint_buffer(workspace: Path, path: Path, buffer: str) -> list[dict[str, str]]:
    """What the extension would turn into diagnostics for `path` showing `buffer`."""
    result = subprocess.run(
        [sys.executable, "-m", "flake8", VSCODE_FORMAT, "--stdin-display-name", str(path), "-"],
        cwd=workspace, input=buffer, capture_output=True, text=True, check=False)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode in (0, 1), result.stderr
    lines = [line for line in result.stdout.splitlines() if line]
    parsed = [VSCODE_LINE.match(line) for line in lines]
    assert all(parsed), f"a line the extension cannot parse: {lines}"
    return [match.groupdict() for match in parsed]


def test_the_unsaved_buffer_is_linted_with_the_configuration_of_its_own_project(workspace):
    diagnostics = lint_buffer(workspace, workspace / "backend" / SERVICE, BUFFER)
    assert [(item["row"], item["col"], item["type"], item["code"]) for item in diagnostics] == [
        ("3", "16", "G", "GOV101")]
    assert diagnostics[0]["text"].startswith("`plugin.execute(...)` executes a plugin outside")
    assert "ToolRunner.run(...)" in diagnostics[0]["text"]


def test_the_same_buffer_under_the_workspace_root_follows_the_root_configuration(workspace):
    # At the root, `execute` is not an execution method: no GOV101 there (the service's other
    # rules may well have something to say about a method that never calls the runner).
    codes = [item["code"] for item in lint_buffer(workspace, workspace / SERVICE, BUFFER)]
    assert "GOV101" not in codes


def test_a_compliant_buffer_gives_no_diagnostic_even_when_the_saved_file_violates(workspace):
    saved = workspace / "backend" / SERVICE
    saved.write_text(BUFFER, encoding="utf-8")
    assert lint_buffer(workspace, saved, SAVED) == []


def test_the_extensions_default_severity_mapping_sees_the_gov_prefix(workspace):
    """The extension picks a severity by the first letter of the code (`%(code).1s`): `G`,
    which its default map lacks, so it shows as an Error unless `flake8.severity` maps `G`."""
    diagnostics = lint_buffer(workspace, workspace / "backend" / SERVICE, BUFFER)
    assert {item["type"] for item in diagnostics} == {"G"}
