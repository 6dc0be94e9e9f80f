"""The fix a delegation finding proposes names the attribute the service really keeps its
delegate in, not the first name of the configuration (found when `phase12 init` left the
default `delegate_attributes`, which include the project's `_jobs`, and GOV606 said
`self._job_mgmt.submit(...)` in a service that has no `_job_mgmt`)."""

from __future__ import annotations

import ast
import textwrap

import pytest

from flake8_phase12.config.loader import config_from_mapping
from flake8_phase12.lint_file import check_file

CONFIG = config_from_mapping({
    "services": {
        "analysis": {"class": "AnalysisFacade", "module": "facade"},
        "job_management": {"class": "JobCoordinator", "module": "jobs",
                           "entry_methods": ["submit"], "delegate_methods": ["dispatch"]},
        "plugin_management": {"class": "PluginGateway", "module": "gateway",
                              "entry_methods": ["dispatch"]},
    },
})


def messages(path: str, source: str) -> list[str]:
    source = textwrap.dedent(source)
    return [finding.message for finding in check_file(ast.parse(source), path, CONFIG, source)]


@pytest.mark.parametrize(("attribute", "why"), [
    ("_jobs", "a configured name the service assigns"),
    ("_coordinator", "not configured, but assigned the JobCoordinator parameter"),
])
def test_the_analysis_service_hint_names_the_attribute_it_holds(attribute, why):
    found = messages("app/services/facade.py", f"""
        from app.services.gateway import PluginGateway
        from app.services.jobs import JobCoordinator

        class AnalysisFacade:
            def __init__(self, jobs: JobCoordinator) -> None:
                self.{attribute} = jobs

            def analyze(self, plugin, payload):
                return PluginGateway(None).dispatch(plugin, payload)
        """)
    assert found, why
    assert all(f"`self.{attribute}.submit(...)`" in message for message in found), found


def test_without_a_delegate_the_hint_falls_back_to_the_first_configured_name():
    found = messages("app/services/facade.py", """
        from app.services.gateway import PluginGateway

        class AnalysisFacade:
            def analyze(self, plugin, payload):
                return PluginGateway(None).dispatch(plugin, payload)
        """)
    assert found
    assert all("`self._job_mgmt.submit(...)`" in message for message in found), found


def test_a_configured_name_holding_something_else_is_not_proposed():
    found = messages("app/services/jobs.py", """
        from app.services.gateway import PluginGateway

        class JobCoordinator:
            def __init__(self, gateway: PluginGateway) -> None:
                self._plugin_mgmt = None
                self._gateway = gateway

            def submit(self, plugin, payload):
                return 42
        """)
    assert any("GOV603" in message for message in found), found
    assert all("`self._gateway.dispatch(...)`" in message for message in found), found


def test_the_plugin_management_hint_names_the_runner_attribute_it_holds():
    found = messages("app/services/gateway.py", """
        from app.services.tool_runner import ToolRunner

        class PluginGateway:
            def __init__(self, executor: ToolRunner) -> None:
                self._executor = executor

            def dispatch(self, plugin, payload):
                return {"plugin": plugin}
        """)
    assert any("GOV601" in message for message in found), found
    assert all("`self._executor.run(...)`" in message for message in found), found
