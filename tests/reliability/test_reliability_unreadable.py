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


EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
HIDDEN = "server/app/hidden"
HIDDEN_VIOLATION = {
    f"{HIDDEN}/__init__.py": "",
    f"{HIDDEN}/shortcut.py": "def shortcut(plugin, payload):\n    return plugin.run(payload)\n",
}


@pytest.fixture
def compliant(shared) -> Path:
    """The compliant example (complete when audited) and its Phase 11 baseline, readable by all,
    with a violation in `server/app/hidden` that a test may lock."""
    if not (EXAMPLES / "compliant").is_dir():
        pytest.skip("the example codebases are not there")
    import shutil

    ignore = shutil.ignore_patterns("__pycache__", ".pytest_cache")
    shutil.copytree(EXAMPLES / "phase11", shared / "phase11", ignore=ignore)
    project = shared / "compliant"
    shutil.copytree(EXAMPLES / "compliant", project, ignore=ignore)
    pyproject = project / "pyproject.toml"
    # A test command the unprivileged user can run: the verdict may then be "complete".
    pyproject.write_text(pyproject.read_text().replace(
        'command = "python -m pytest -q server/tests/phase_11"', 'command = "true"'))
    write(project, HIDDEN_VIOLATION)
    return project


def test_the_violation_in_the_hidden_directory_is_found_when_it_can_be_read(compliant):
    """The control for the tests below: readable, the hidden violation fails section 1."""
    result = unprivileged.phase12("audit", "--format", "json", ".", cwd=compliant)
    assert result.returncode == 1, result.stderr
    assert f'"path": "{HIDDEN}/shortcut.py"' in result.stdout


def test_an_unreadable_directory_makes_the_audit_not_verified(compliant):
    hidden = compliant / HIDDEN
    unprivileged.make_unreadable(hidden)
    result = unprivileged.phase12("audit", ".", cwd=compliant)
    error = f"{hidden}: cannot read this directory (Permission denied); nothing in it was checked"
    assert (result.returncode, result.stderr) == (2, f"phase12: error: {error}\n")
    assert f"  {error}" in result.stdout.splitlines()
    assert result.stdout.rstrip().endswith(
        "Phase 12 NOT VERIFIED: the audit could not check everything: 14 of 14 items passed, "
        "1 error (not verified).")


def test_an_unreadable_module_is_an_error_not_a_finding(compliant):
    module = compliant / HIDDEN / "shortcut.py"
    unprivileged.make_unreadable(module)
    result = unprivileged.phase12("audit", "--format", "json", ".", cwd=compliant)
    assert result.returncode == 2
    assert f'"{module}: cannot read it (Permission denied)"' in result.stdout
    assert '"code": "GOV001"' not in result.stdout


def test_an_unreadable_test_directory_is_an_error_not_missing_tests(compliant):
    tests = compliant / "server" / "tests" / "phase_12"
    unprivileged.make_unreadable(tests)
    result = unprivileged.phase12("audit", "--format", "json", ".", cwd=compliant)
    assert result.returncode == 2
    assert f"{tests}: cannot read this directory (Permission denied)" in result.stdout
    assert "GOV290" not in result.stdout  # not "missing": it could not be looked for


def test_baseline_writes_nothing_when_a_directory_cannot_be_read(compliant):
    compliant.chmod(0o777)  # the unprivileged user could write the baseline
    hidden = compliant / HIDDEN
    unprivileged.make_unreadable(hidden)
    result = unprivileged.phase12("baseline", ".", cwd=compliant)
    assert result.returncode == 2
    assert f"phase12: error: {hidden}: cannot read this directory" in result.stderr
    assert not (compliant / ".phase12-baseline.json").exists()


def test_pytest_phase12_stops_with_the_unreadable_directory_named(compliant):
    hidden = compliant / HIDDEN
    unprivileged.make_unreadable(hidden)
    # pytest is pointed at a directory without tests and without the locked one.
    result = unprivileged.pytest_run("--phase12", "-o", "addopts=", "-rA", "server/app/api",
                                     cwd=compliant)
    assert result.returncode == pytest.ExitCode.INTERRUPTED, result.stdout[-3000:]
    assert (f"phase12: the checklist could not be verified: {hidden}: cannot read this "
            "directory (Permission denied)") in result.stdout
    assert "PASSED" not in result.stdout and "Interrupted: 1 error during collection" in result.stdout
