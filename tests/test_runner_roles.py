"""Several runner roles (`[tool.phase12.runner] also`): what the key changes, shown on the
project fixtures `two_runners_clean` and `two_runners` (a sync runner class and an async runner
function in another module) and on small tables. The functional fixtures pin the findings; these
tests pin what the key is for: without it, the same code is a bypass."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

from flake8_phase12.analysis.context import FileContext
from flake8_phase12.analysis.layers import RUNNER, chain_index, role_layers
from flake8_phase12.analysis.roles import is_runner_module, may_execute_plugins_directly
from flake8_phase12.analysis.runner_roles import hosted_runner_targets, runner_layer_modules
from flake8_phase12.audit import AuditOptions, run_audit
from flake8_phase12.audit.contracts import contract_rule
from flake8_phase12.config import clear_caches, config_for_file, config_from_mapping
from flake8_phase12.lint_file import check_file

PROJECTS = Path(__file__).parent / "functional" / "projects"
FAST = AuditOptions(run_test_command=False, jobs=1)


def _copy(name: str, destination: Path, *, without_also: bool = False) -> Path:
    project = destination / name
    shutil.copytree(PROJECTS / name, project)
    if without_also:
        pyproject = project / "pyproject.toml"
        lines = pyproject.read_text(encoding="utf-8").splitlines()
        pyproject.write_text("\n".join(line for line in lines if not line.startswith("also = "))
                             + "\n", encoding="utf-8")
    clear_caches()
    return project


def _findings(project: Path) -> set[tuple[str, int, str]]:
    found = set()
    for path in sorted(project.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        for finding in check_file(ast.parse(source), str(path), config_for_file(str(path)), source):
            found.add((path.relative_to(project).as_posix(), finding.line, finding.code))
    return found


def test_without_also_the_second_runner_is_a_bypass(tmp_path):
    governed = _copy("two_runners_clean", tmp_path / "with")
    assert _findings(governed) == set()
    ungoverned = _copy("two_runners_clean", tmp_path / "without", without_also=True)
    assert _findings(ungoverned) == {
        # The rotary press executes the template outside the runner's module...
        ("printshop/presses/rotary.py", 19, "GOV101"),
        # ...and the foreman hands a template to a function that executes it.
        ("printshop/floor/foreman.py", 20, "GOV101"),
    }


def test_every_runner_role_is_a_runner_module_and_the_runner_layer(tmp_path):
    project = _copy("two_runners_clean", tmp_path)
    config = config_for_file(str(project / "printshop" / "presses" / "rotary.py"))
    assert runner_layer_modules(config) == ("printshop.presses.flatbed", "printshop.presses.rotary")
    assert hosted_runner_targets(config) == ()
    runner = role_layers(config)[RUNNER]
    assert runner.names == ("Flatbed", "imprint_async")
    assert chain_index(config, "printshop.presses.rotary") == chain_index(
        config, "printshop.presses.flatbed") == 4
    for name in ("flatbed", "rotary"):
        path = project / "printshop" / "presses" / f"{name}.py"
        ctx = FileContext(ast.parse(path.read_text(encoding="utf-8")), str(path), config,
                          path.read_text(encoding="utf-8"))
        assert is_runner_module(ctx) and not may_execute_plugins_directly(ctx)


@pytest.mark.parametrize(("also", "hosted"), [
    # A closure of a composition root: the role alone is the runner, not its module.
    ("app.wiring:build.<locals>.execute", True),
    # A method of the plugin-management class: the module stays plugin management's.
    ("app.services.plugin_management_service:PluginManagementService._execute", True),
    # A function in a module of its own, or beside the runner: the runner's layer.
    ("app.engine.aio:execute_async", False),
    ("app.services.tool_runner:execute_async", False),
])
def test_a_role_in_another_roles_module_is_hosted_there(also, hosted):
    config = config_from_mapping({
        "runner": {"module": "app.services.tool_runner", "also": [also]},
        "services": {"plugin_management": {"module": "app.services.plugin_management_service"}}})
    module = also.partition(":")[0]
    assert (module not in runner_layer_modules(config)) is hosted
    assert bool(hosted_runner_targets(config)) is hosted
    assert module in config.runner.modules


def test_the_audit_wants_every_runner_roles_module(tmp_path):
    project = _copy("two_runners_clean", tmp_path)
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8").replace(
        '"printshop.presses.rotary:imprint_async"', '"printshop.presses.rotery:imprint_async"'),
        encoding="utf-8")
    clear_caches()
    result = run_audit(project, options=FAST)
    reasons = [item.reason for section in result.sections for item in section.items
               if item.status == "unchecked" and "runner" in item.reason]
    assert reasons and all("[tool.phase12] runner.module or runner.also = "
                           "'printshop.presses.rotery'" in reason for reason in reasons)
    assert not any("'printshop.presses.flatbed'" in reason for reason in reasons)


def test_a_contract_whose_gateway_is_any_runner_module_guards_the_plugins():
    config = config_from_mapping({"runner": {"module": "shop.engine.sync",
                                             "also": ["shop.engine.aio:run_async"]}})
    for gateway in ("shop.engine.sync", "shop.engine.aio"):
        options = {"protected_modules": ["shop.plugins"], "gateway_modules": [gateway]}
        assert contract_rule(options, config).code == "GOV180"
    options = {"protected_modules": ["shop.engine.aio"], "gateway_modules": ["shop.services.gate"]}
    assert contract_rule(options, config).code == "GOV681"
