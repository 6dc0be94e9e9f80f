"""`phase12 audit` on small purpose-built projects: unreadable files, excludes, required tests,
the test command, import contracts of every kind and configuration errors."""

from __future__ import annotations

import sys

import pytest
from conftest import run_phase12, write_project

from flake8_phase12.audit import AuditOptions, run_audit
from flake8_phase12.audit.files import check_source, discover
from flake8_phase12.config import ConfigError, load_config

FAST = AuditOptions(run_test_command=False, jobs=1)

RUNNER = """
    from app.validation import validate_input_payload, validate_plugin_output
    from app.error_envelope import build_error_envelope


    class ToolRunner:
        def __init__(self, registry):
            self._registry = registry

        def run(self, plugin_name, payload):
            started = 0
            try:
                validate_input_payload(payload)
                plugin = self._registry.get(plugin_name)
                raw_output = plugin.run(payload)
                return validate_plugin_output(raw_output)
            except Exception as exc:
                return build_error_envelope(exc, plugin_name)
            finally:
                self._registry.update_execution_metrics(plugin_name, started)
"""

PLUGIN_MANAGEMENT = """
    class PluginManagementService:
        def __init__(self, runner):
            self._runner = runner

        def execute_plugin(self, name, payload):
            return self._runner.run(name, payload)
"""


def small_project(root, *, table="", files=None):
    write_project(root, {
        "pyproject.toml": f"[tool.phase12]\n{table}\n",
        "app/__init__.py": "",
        "app/services/__init__.py": "",
        "app/services/tool_runner.py": RUNNER,
        "app/services/plugin_management_service.py": PLUGIN_MANAGEMENT,
        **(files or {}),
    })
    return root


def test_unparsable_and_undecodable_files_are_findings_naming_the_file(tmp_path):
    small_project(tmp_path, files={"app/broken.py": "def run(self)\n    pass\n"})
    (tmp_path / "app" / "latin1.py").write_bytes(b"name = '\xe9t\xe9'\n")
    (tmp_path / "app" / "nul.py").write_bytes(b"x = 1\x00\n")
    result = run_audit(tmp_path, options=FAST)
    problems = {(f.path, f.line, f.code): f.message for f in result.problems}
    assert set(problems) == {("app/broken.py", 1, "GOV001"), ("app/latin1.py", 1, "GOV001"),
                             ("app/nul.py", 1, "GOV001")}
    assert "expected ':' (line 1)" in problems[("app/broken.py", 1, "GOV001")]
    assert "not valid utf-8 text" in problems[("app/latin1.py", 1, "GOV001")]
    assert not result.complete and "could not be checked" not in result.verdict


def test_a_file_with_a_coding_cookie_is_read_as_python_reads_it(tmp_path):
    small_project(tmp_path)
    (tmp_path / "app" / "legacy.py").write_bytes(b"# -*- coding: latin-1 -*-\nname = '\xe9t\xe9'\n")
    config = load_config(start=tmp_path)
    [source] = [s for s in discover(tmp_path, tmp_path, config).files if s.relative == "app/legacy.py"]
    assert check_source(source, config).findings == []


def test_excluded_hidden_and_virtualenv_directories_are_not_checked(tmp_path):
    small_project(tmp_path, table='extend-exclude = ["generated", "app/legacy/*.py"]', files={
        "generated/broken.py": "def (\n",
        "app/legacy/old.py": "def (\n",
        ".venv/lib/broken.py": "def (\n",
        "build/x.egg-info/broken.py": "def (\n",
        "tests/test_x.py": "def (\n",
        "app/services/kept.py": "x = 1\n",
    })
    config = load_config(start=tmp_path)
    relative = [source.relative for source in discover(tmp_path, tmp_path, config).files]
    assert relative == ["app/__init__.py", "app/services/__init__.py", "app/services/kept.py",
                        "app/services/plugin_management_service.py", "app/services/tool_runner.py"]


def test_a_missing_required_test_fails_its_item_and_a_present_one_verifies_it(tmp_path):
    small_project(tmp_path, table='[tool.phase12.tests]\nroot = "tests"\nrequired = '
                                  '["test_input_validation.py", "3:phase_12/test_outputs.py"]',
                  files={"tests/unit/phase_12/test_outputs.py": "def test_x(): pass\n"})
    result = run_audit(tmp_path, options=FAST)
    [missing] = [f for f in result.findings if f.code == "GOV290"]
    assert "`test_input_validation.py` is missing under `tests/`" in missing.message
    inputs, = result.section(2).items
    assert inputs.status == "failed" and inputs.findings == (missing,)
    outputs, = result.section(3).items
    assert outputs.status == "passed"
    assert "test phase_12/test_outputs.py" in outputs.checks


def test_an_item_whose_module_is_absent_is_not_verified_rather_than_passed(tmp_path):
    small_project(tmp_path, table="[tool.phase12.tests]\nrequired = []")
    result = run_audit(tmp_path, options=FAST)
    envelope = next(item for item in result.section(4).items
                    if item.title == "Error envelope format matches spec")
    assert envelope.status == "unchecked"
    assert "envelope.module = 'error_envelope'" in envelope.reason
    assert not result.failed_items and not result.complete
    assert result.verdict == "Phase 12 NOT complete: items could not be verified"
    lenient = run_audit(tmp_path, options=AuditOptions(run_test_command=False, strict=False))
    assert lenient.unchecked_items and not lenient.failed_items


def test_a_failing_or_hanging_test_command_is_a_gov890_finding(tmp_path):
    script = tmp_path / "suite.py"
    small_project(tmp_path, table=f'[tool.phase12.tests]\ncommand = "{sys.executable} suite.py"')
    script.write_text("import sys\nprint('test_legacy FAILED: expected 3')\nsys.exit(3)\n")
    result = run_audit(tmp_path, options=AuditOptions(jobs=1))
    [failure] = [f for f in result.findings if f.code == "GOV890"]
    assert "exited with status 3" in failure.message
    assert failure.evidence == ("test_legacy FAILED: expected 3",)
    script.write_text("import time\nprint('started', flush=True)\ntime.sleep(30)\n")
    result = run_audit(tmp_path, options=AuditOptions(jobs=1, test_timeout=0.5))
    [timeout] = [f for f in result.findings if f.code == "GOV890"]
    assert "did not finish within 0.5 s" in timeout.message


@pytest.mark.parametrize("command, reason", [
    ("no-such-program-phase12 -q",
     "program 'no-such-program-phase12' not found (is it installed in this environment?)"),
    # As `python -m pytest` is after the README's first command, which installs no pytest.
    (f"{sys.executable} -m no_such_module_phase12 -q",
     "module 'no_such_module_phase12' is not installed in this environment (No module named "
     "no_such_module_phase12)"),
])
def test_a_test_command_that_cannot_start_leaves_its_item_not_verified(tmp_path, command, reason):
    small_project(tmp_path, table=f'[tool.phase12.tests]\ncommand = "{command}"')
    result = run_audit(tmp_path, options=AuditOptions(jobs=1))
    assert not result.errors and not any(f.code == "GOV890" for f in result.findings)
    [item] = [item for item in result.section(8).items if item.title == "All Phase 11 tests still pass"]
    assert item.status == "unchecked"
    assert item.reason == f"not verified: the test command `{command}` could not start: {reason}"
    completed = run_phase12("audit", ".", cwd=tmp_path)
    assert completed.returncode == 1 and completed.stderr == ""
    assert reason in completed.stdout


def test_a_module_that_fails_on_its_own_is_a_failing_suite_not_a_missing_one(tmp_path):
    small_project(tmp_path, table=f'[tool.phase12.tests]\ncommand = "{sys.executable} -m suite"',
                  files={"suite.py": "import missing_dependency_phase12\n"})
    result = run_audit(tmp_path, options=AuditOptions(jobs=1))
    [failure] = [f for f in result.findings if f.code == "GOV890"]
    assert "exited with status 1" in failure.message
    assert "No module named 'missing_dependency_phase12'" in failure.evidence[-1]


CONTRACT_PROJECT = {
    "app/api/__init__.py": "",
    "app/api/routes.py": "from app.services import tool_runner\n",
    "app/services/analysis_service.py": "x = 1\n",
    "app/plugins/__init__.py": "",
    "app/plugins/ocr.py": "from app.plugins import motion\n",
    "app/plugins/motion.py": "y = 2\n",
    "app/services/job_management_service.py": "from app.plugins import ocr\n",
}

CONTRACTS = """
[importlinter]
root_package = app

[importlinter:contract:layers]
name = Layered services
type = layers
layers =
    app.services.job_management_service
    app.services.tool_runner
    app.plugins

[importlinter:contract:only-runner]
name = Only the runner imports the plugins
type = protected
protected_modules = app.plugins
allowed_importers = app.services.tool_runner

[importlinter:contract:api-free]
name = The API does not reach the runner
type = forbidden
source_modules = app.api
forbidden_modules = app.services.tool_runner

[importlinter:contract:plugins-independent]
name = Plugins are independent
type = independence
modules =
    app.plugins.ocr
    app.plugins.motion
"""


def test_built_in_import_linter_contracts_become_findings_at_the_importing_line(tmp_path):
    small_project(tmp_path, files={**CONTRACT_PROJECT, "setup.cfg": CONTRACTS})
    result = run_audit(tmp_path, options=FAST)
    status = {contract.id: (contract.status, contract.code, contract.section)
              for contract in result.contracts}
    assert status == {"layers": ("kept", "GOV680", 6), "only-runner": ("broken", "GOV180", 1),
                      "api-free": ("broken", "GOV682", 6),
                      "plugins-independent": ("broken", "GOV682", 6)}
    located = {(f.contract, f.path, f.line, f.code) for f in result.findings if f.contract}
    assert located == {
        ("only-runner", "app/services/job_management_service.py", 1, "GOV180"),
        ("api-free", "app/api/routes.py", 1, "GOV682"),
        ("plugins-independent", "app/plugins/ocr.py", 1, "GOV682"),
    }
    [gateway] = [f for f in result.findings if f.code == "GOV180"]
    assert "only `app.services.tool_runner` may import it" in gateway.message
    assert gateway.evidence == ("app.services.job_management_service -> app.plugins.ocr (l.1)",)


@pytest.mark.parametrize(("setup_cfg", "expected"), [
    (CONTRACTS.replace("type = layers", "type = layerz"),
     "contract 'Layered services': unknown type 'layerz'"),
    (CONTRACTS.replace("root_package = app", "root_package = nothere"),
     "root package 'nothere' not found"),
    (CONTRACTS.replace("[importlinter]\nroot_package = app",
                       "[importlinter]\nroot_package = app\ncontract_types = mine:pkg.Mine"),
     "contract_types entry 'mine:pkg.Mine' must be 'name: package.module.Class'"),
    (CONTRACTS.replace("app.services.tool_runner\n    app.plugins", "app.services.gone\n    app.plugins"),
     "contract 'Layered services' cannot be checked"),
])
def test_a_broken_import_linter_configuration_is_one_line_naming_the_file(
        tmp_path, setup_cfg, expected):
    small_project(tmp_path, files={**CONTRACT_PROJECT, "setup.cfg": setup_cfg})
    result = run_audit(tmp_path, options=FAST)
    assert any(expected in error and "setup.cfg" in error for error in result.errors), result.errors
    assert all("\n" not in error for error in result.errors)
    assert not result.complete


def test_without_import_linter_configuration_the_audit_says_so(tmp_path):
    small_project(tmp_path)
    result = run_audit(tmp_path, options=FAST)
    assert result.contracts == ()
    assert any("no import-linter configuration" in note for note in result.notes)


@pytest.mark.parametrize(("pyproject", "expected"), [
    ("[tool.phase12]\nexcludes = []\n", "unknown key 'tool.phase12.excludes'; did you mean 'exclude'?"),
    ("[tool.phase12]\nbaseline = 3\n", "'tool.phase12.baseline' must be a string"),
    ("[tool.phase12\n", "invalid TOML"),
])
def test_configuration_errors_exit_2_with_one_line(tmp_path, pyproject, expected):
    (tmp_path / "pyproject.toml").write_text(pyproject)
    completed = run_phase12("audit", ".", cwd=tmp_path)
    assert completed.returncode == 2
    assert completed.stdout == ""
    [line] = completed.stderr.splitlines()
    assert line.startswith("phase12: error: ") and expected in line and "pyproject.toml" in line


def test_usage_errors_exit_2(tmp_path):
    assert run_phase12("audit", "no/such/dir", cwd=tmp_path).returncode == 2
    assert run_phase12("audit", "--jobs", "0", cwd=tmp_path).returncode == 2
    assert run_phase12("audit", "--format", "xml", cwd=tmp_path).returncode == 2


def test_a_missing_explicit_configuration_file_is_a_configuration_error(tmp_path):
    with pytest.raises(ConfigError, match="configuration file not found"):
        run_audit(tmp_path, config=load_config(tmp_path / "nope.toml"))


@pytest.mark.parametrize("layout", ["empty", "only other files", "every file excluded"])
def test_a_path_without_python_files_says_so_and_exits_2(tmp_path, layout):
    files = {"pyproject.toml": "[tool.phase12]\nextend-exclude = ['app']\n"}
    if layout != "empty":
        files["README.md"] = "# a project\n"
    if layout == "every file excluded":
        files["app/services/plugin_management_service.py"] = PLUGIN_MANAGEMENT
    write_project(tmp_path, files)
    result = run_audit(tmp_path, options=FAST)
    assert result.files_checked == 0 and not result.verified
    [error] = result.errors
    assert error.startswith(f"{tmp_path}: no Python file to check there (excluded: tests, ")
    assert error.endswith(", app); give the directory of the code, or change [tool.phase12] exclude")
    completed = run_phase12("audit", "--no-test-command", ".", cwd=tmp_path)
    assert completed.returncode == 2
    assert completed.stderr == f"phase12: error: {error}\n"
    assert "Phase 12 NOT VERIFIED" in completed.stdout
