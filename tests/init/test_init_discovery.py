"""Role discovery on codebases that differ from the checklist's names: the runner injected as a
callable, plugins executed with `run_tool` and looked up with `catalog.lookup`, namespace
packages, a `src/` layout, a plain-function runner behind a Protocol, a shorter chain."""

from __future__ import annotations

from pathlib import Path

import pytest
from init_projects import INJECTED, PLAIN_FUNCTION, under_src, without_init_files, write_project

from flake8_phase12.config import config_from_mapping
from flake8_phase12.init import build_proposal, discover


def roles(discovery) -> dict[str, tuple[str, str]]:
    return {role.name: (role.value, role.confidence) for role in discovery.roles}


@pytest.fixture
def injected(tmp_path: Path) -> Path:
    return write_project(tmp_path / "injected", INJECTED)


def test_runner_injected_as_a_callable_is_found_through_its_wiring(injected):
    discovery = discover(injected)
    found = roles(discovery)
    assert found["runner"] == ("Executor.execute in app.engine.executor", "high")
    assert found["execution method"] == ("run_tool", "high")
    assert found["plugin base class"] == ("BaseTool", "high")
    chain = next(role for role in discovery.roles if role.name == "service chain")
    assert chain.value == "API -> OrchestrationService -> TaskService -> ToolService -> Executor.execute"
    assert "injected wiring" in chain.reason
    assert "app/services/tools.py:13" in chain.evidence  # the `self._execute_tool(...)` call


def test_proposal_for_the_injected_runner(injected):
    table = build_proposal(discover(injected)).table
    assert table["execution_methods"] == ["run_tool"]
    assert table["plugin_base_classes"] == ["BaseTool"]
    assert table["runner"] == {"module": "executor", "class": "Executor", "method": "execute",
                               "attributes": ["_execute_tool"]}
    assert table["validation"] == {"input_validator": "check_request", "output_validator": "check_result"}
    assert table["envelope"] == {"function": "make_failure", "module": "failures"}
    assert table["metrics"] == {"function": "record_usage", "registry_module": "catalog"}
    plugin_management = table["services"]["plugin_management"]
    assert plugin_management["delegate_attributes"] == ["_execute_tool"]
    assert plugin_management["entry_methods"] == ["execute_tool"]
    # `app/tools/` is a package too: the service module needs its parent to be unambiguous.
    assert plugin_management["module"] == "services.tools"
    assert table["services"]["job_management"]["delegate_methods"] == ["execute_tool"]
    assert table["api"] == {"route_modules": ["routes"], "service_names": ["get_orchestrator"]}
    assert table["layers"]["chain"] == ["web.*", "orchestration", "tasks", "services.tools", "executor"]


def test_lookups_the_defaults_miss_become_receiver_patterns(injected):
    receivers = build_proposal(discover(injected)).table["plugin_receivers"]
    assert receivers[-2:] == ["tool", "*catalog.lookup()"]
    assert "*registry.get()" in receivers  # the defaults stay


def test_the_proposal_is_a_valid_configuration(injected):
    proposal = build_proposal(discover(injected))
    config = config_from_mapping(proposal.table)
    assert config.runner == proposal.config.runner
    assert config.services.analysis.class_name == "OrchestrationService"
    # Keys not proposed keep their defaults.
    assert config.envelope.fields[0] == "error.type"


def test_composition_root_is_a_gateway_and_its_imports_are_left_out_of_the_layers(injected):
    proposal = build_proposal(discover(injected))
    contracts = {contract.id: contract for contract in proposal.importlinter.contracts}
    chain = contracts["execution-chain"].options
    assert chain["layers"] == ["app.web", "app.services.orchestration", "app.services.tasks",
                               "app.services.tools", "app.engine.executor"]
    assert "app.container -> app.engine.executor" in chain["ignore_imports"]
    gateway = contracts["runner-gateway"].options
    assert gateway["protected_modules"] == ["app.engine.executor"]
    assert gateway["gateway_modules"] == ["app.services.tools", "app.container"]
    assert proposal.importlinter.root_packages == ["app"]
    assert any("composition root" in note for note in proposal.notes)


def test_namespace_packages_give_the_same_proposal_and_are_reported(tmp_path, injected):
    project = write_project(tmp_path / "namespace", without_init_files(INJECTED))
    discovery = discover(project)
    assert build_proposal(discovery).table == build_proposal(discover(injected)).table
    assert any("namespace packages (no __init__.py): app, app.engine, app.services, app.web" in note
               for note in discovery.notes)


def test_namespace_directory_inside_a_regular_package_is_flagged_for_import_linter(tmp_path):
    files = dict(INJECTED)
    del files["app/services/__init__.py"]
    discovery = discover(write_project(tmp_path / "mixed", files))
    assert any("import-linter does not see modules in app.services" in note for note in discovery.notes)


def test_src_layout_uses_import_names_for_contracts_and_suffixes_for_patterns(tmp_path, injected):
    project = write_project(tmp_path / "src_layout", under_src(INJECTED))
    proposal = build_proposal(discover(project))
    assert proposal.table == build_proposal(discover(injected)).table
    layers = proposal.importlinter.contracts[0].options["layers"]
    assert layers[0] == "app.web" and not any(layer.startswith("src.") for layer in layers)


def test_plain_function_runner_behind_a_protocol_without_an_api(tmp_path):
    project = write_project(tmp_path / "plain", PLAIN_FUNCTION)
    discovery = discover(project)
    found = roles(discovery)
    assert found["runner"] == ("run_plugin_safely in svc.safety", "high")
    assert found["plugin base class"][0] == "Plugin"
    assert found["service chain"] == ("AnalysisFacade -> JobQueue -> PluginHub -> run_plugin_safely",
                                      "medium")
    assert found["route modules"][1] == "missing"
    table = build_proposal(discovery).table
    assert table["execution_methods"] == ["execute"]
    assert table["runner"] == {"module": "safety", "function": "run_plugin_safely", "class": ""}
    assert table["services"]["plugin_management"]["class"] == "PluginHub"
    assert "delegate_methods" not in table["services"]["plugin_management"]  # a function, no method
    assert table["services"]["job_management"]["delegate_attributes"] == ["_hub"]
    assert "validation" not in table  # the checklist's own names: the defaults fit
    assert "api" not in table


def test_a_two_service_chain_has_no_job_management_layer(tmp_path):
    files = {name: text for name, text in PLAIN_FUNCTION.items()}
    files["svc/facade.py"] = """
        from svc.hub import PluginHub


        class AnalysisFacade:
            def __init__(self) -> None:
                self._hub = PluginHub()

            def analyze(self, name: str, payload: dict) -> dict:
                return self._hub.dispatch(name, payload)
    """
    del files["svc/jobs.py"]
    proposal = build_proposal(discover(write_project(tmp_path / "short", files)))
    services = proposal.table["services"]
    assert services["job_management"] == {"class": "", "module": ""}
    assert services["analysis"]["class"] == "AnalysisFacade"
    assert services["plugin_management"]["class"] == "PluginHub"
    assert any("the service chain has 2 layer(s), the checklist 3" in note for note in proposal.notes)


def test_no_plugins_means_the_essential_roles_are_missing(tmp_path):
    project = write_project(tmp_path / "plain", {"calc/ops.py": """
        import subprocess


        def add(a, b):
            subprocess.run(["true"], check=False)
            return a + b
    """})
    discovery = discover(project)
    assert discovery.missing == ["execution method", "runner"]


def test_lookalike_receivers_are_not_executions(tmp_path):
    """`subprocess.run`, `asyncio.run`, `self.run()` of a thread and `uvicorn.run` are not plugins."""
    project = write_project(tmp_path / "lookalikes", {
        "app/__init__.py": "",
        "app/worker.py": """
            import asyncio
            import subprocess
            import threading

            import uvicorn


            class Worker(threading.Thread):
                def run(self):
                    subprocess.run(["true"], check=False)

                def drain(self):
                    self.run()
                    asyncio.run(self.main())
                    uvicorn.run("app:api")

                async def main(self):
                    return None
        """,
    })
    assert discover(project).missing == ["execution method", "runner"]


def test_discovery_never_imports_the_analysed_code(tmp_path, injected):
    marker = tmp_path / "imported.txt"
    (injected / "app" / "side_effect.py").write_text(
        f"open({str(marker)!r}, 'w').write('imported')\nraise SystemExit(3)\n")
    assert not discover(injected).missing
    assert not marker.exists()


def test_unparseable_and_absurdly_nested_files_are_skipped_and_reported(tmp_path, injected):
    (injected / "app" / "broken.py").write_text("def broken(:\n")
    (injected / "app" / "generated.py").write_text("x = " + "-" * 500 + "1\n")
    (injected / "app" / "binary.py").write_bytes(b"\x00\xff\xfe")
    discovery = discover(injected)
    assert not discovery.missing
    note = next(note for note in discovery.notes if "could not be parsed" in note)
    assert note.startswith("3 file(s)")


def test_tests_are_not_searched_for_roles(tmp_path, injected):
    """A test double that executes plugins does not become a runner candidate."""
    write_project(injected, {"tests/test_tools.py": """
        from app.tools.echo import EchoTool


        def test_echo():
            tool = EchoTool()
            try:
                assert tool.run_tool({"image": "x"})
            except Exception:
                raise
    """})
    discovery = discover(injected)
    assert len(discovery.execution.candidates) == 1


def test_a_top_level_route_module_stays_out_of_the_contracts(tmp_path):
    files = dict(INJECTED)
    files["routes.py"] = files.pop("app/web/routes.py")
    del files["app/web/__init__.py"]
    proposal = build_proposal(discover(write_project(tmp_path / "flat", files)))
    assert proposal.table["api"]["route_modules"] == ["routes"]
    contracts = {contract.id: contract for contract in proposal.importlinter.contracts}
    assert contracts["execution-chain"].options["layers"][0] == "app.services.orchestration"
    assert proposal.importlinter.root_packages == ["app"]


def test_the_runners_twin_in_another_module_is_proposed_as_another_runner_role(tmp_path):
    """A sync runner class and its async twin, a function in another module that guards its
    executions too, both called by plugin management: the one the routes reach deepest is the
    runner, the other `runner.also`, and the contracts guard both modules."""
    import shutil

    project = tmp_path / "printshop"
    shutil.copytree(Path(__file__).parents[1] / "functional" / "projects" / "two_runners_clean", project)
    (project / "pyproject.toml").unlink()
    discovery = discover(project)
    value, confidence = roles(discovery)["runner"]
    assert value == ("imprint_async in printshop.presses.rotary, "
                     "also Flatbed.imprint in printshop.presses.flatbed")
    assert confidence == "high"
    runner = next(role for role in discovery.roles if role.name == "runner")
    assert "printshop/presses/flatbed.py:16" in runner.evidence
    proposal = build_proposal(discovery)
    table = proposal.table
    assert table["runner"]["function"] == "imprint_async"
    assert table["runner"]["also"] == ["flatbed:Flatbed.imprint"]
    config = config_from_mapping(table)
    assert [target.written for target in config.runner.targets] == [
        "rotary:imprint_async", "flatbed:Flatbed.imprint"]
    chain, gateway = proposal.importlinter.contracts
    assert chain.options["layers"][-1] == "printshop.presses.rotary : printshop.presses.flatbed"
    assert gateway.options["protected_modules"] == ["printshop.presses.rotary",
                                                    "printshop.presses.flatbed"]
