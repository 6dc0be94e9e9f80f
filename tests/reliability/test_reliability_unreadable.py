"""What cannot be read is never passed as checked: each test runs the tools as a user without
privileges (see `unprivileged`), so a mode-000 path is really unreadable, root or not."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import unprivileged

SERVICE = "server/app/services/plugin_management_service.py"
VIOLATION = textwrap.dedent("""\
    class PluginManagementService:
        def execute_plugin(self, plugin, payload):
            return plugin.run(payload)
    """)


@pytest.fixture
def shared() -> Path:
    with unprivileged.shared_directory() as directory:
        yield directory


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    unprivileged.readable_by_all(root)
    return root


def test_an_unreadable_pyproject_is_a_configuration_error_not_the_defaults(shared):
    project = write(shared, {"pyproject.toml": "[tool.phase12]\nexecution_methods = ['go']\n",
                             SERVICE: VIOLATION})
    pyproject = project / "pyproject.toml"
    unprivileged.make_unreadable(pyproject)
    expected = f"{pyproject}: cannot read configuration (Permission denied)"

    audit = unprivileged.phase12("audit", "--no-test-command", ".", cwd=project)
    assert (audit.returncode, audit.stderr) == (2, f"phase12: error: {expected}\n")
    assert audit.stdout == ""  # no report on the defaults

    linted = unprivileged.flake8("--select=GOV", ".", cwd=project)
    assert linted.returncode == 1 and "Traceback" not in linted.stderr
    assert f"flake8-phase12: {expected}" in linted.stdout
    assert "GOV101" not in linted.stdout  # the default execution method `run` was not used
