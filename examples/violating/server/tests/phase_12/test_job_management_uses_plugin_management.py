"""Checklist §6: JobManagementService delegates to PluginManagementService, and AnalysisService
to JobManagementService; neither touches the ToolRunner or a plugin."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from server.app.error_envelope import build_error_envelope
from server.app.services.analysis_service import AnalysisService
from server.app.services.job_management_service import JobManagementService, JobStatus
from server.app.services.plugin_management_service import PluginManagementService

SERVICES = Path(__file__).resolve().parents[2] / "app" / "services"


class FakePluginManagement(PluginManagementService):
    """Records `execute_plugin` calls and returns a scripted outcome."""

    def __init__(self, outcome) -> None:
        self.outcome = outcome
        self.calls: list[tuple[str, object]] = []

    def execute_plugin(self, plugin_name, payload):
        self.calls.append((plugin_name, payload))
        return self.outcome

    def list_plugins(self):
        return [{"name": "fake"}]


class FakeJobManagement(JobManagementService):
    def __init__(self, plugin_mgmt) -> None:
        super().__init__(plugin_mgmt)
        self.jobs_run: list[str] = []

    def run_job(self, plugin_name, payload):
        self.jobs_run.append(plugin_name)
        return super().run_job(plugin_name, payload)


def imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
        elif isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
    return modules


def collaborators_called(path: Path, class_name: str) -> set[str]:
    """The `self.<attribute>` objects whose methods the class calls."""
    [cls] = [node for node in ast.parse(path.read_text(encoding="utf-8")).body
             if isinstance(node, ast.ClassDef) and node.name == class_name]
    receivers = set()
    for node in ast.walk(cls):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            receiver = node.func.value
            if isinstance(receiver, ast.Attribute) and isinstance(receiver.value, ast.Name) \
                    and receiver.value.id == "self":
                receivers.add(ast.unparse(receiver))
    return receivers


def test_run_job_calls_execute_plugin(valid_payload):
    plugin_mgmt = FakePluginManagement({"width": 4})
    job = JobManagementService(plugin_mgmt).run_job("metadata", valid_payload)
    assert plugin_mgmt.calls == [("metadata", valid_payload)]
    assert job.status is JobStatus.COMPLETED and job.result == {"width": 4} and job.error is None


def test_an_envelope_fails_the_job(valid_payload):
    envelope = build_error_envelope(RuntimeError("boom"), "metadata")
    job = JobManagementService(FakePluginManagement(envelope)).run_job("metadata", valid_payload)
    assert job.status is JobStatus.FAILED
    assert job.error is envelope and job.result is None
    assert job.finished_at is not None


def test_list_plugins_is_delegated():
    assert JobManagementService(FakePluginManagement({})).list_plugins() == [{"name": "fake"}]


def test_analysis_service_goes_through_job_management(valid_payload):
    plugin_mgmt = FakePluginManagement({"text": "hi"})
    jobs = FakeJobManagement(plugin_mgmt)
    assert AnalysisService(jobs).analyze("ocr", valid_payload) == {"text": "hi"}
    assert jobs.jobs_run == ["ocr"] and plugin_mgmt.calls == [("ocr", valid_payload)]


def test_analysis_service_returns_the_envelope_of_a_failed_job(valid_payload):
    envelope = build_error_envelope(RuntimeError("boom"), "ocr")
    assert AnalysisService(FakeJobManagement(FakePluginManagement(envelope))).analyze(
        "ocr", valid_payload) is envelope


@pytest.mark.parametrize("module, class_name, allowed_service_import, delegate", [
    ("job_management_service.py", "JobManagementService",
     "server.app.services.plugin_management_service", "self._plugin_mgmt"),
    ("analysis_service.py", "AnalysisService",
     "server.app.services.job_management_service", "self._job_mgmt"),
], ids=["job_management", "analysis"])
def test_services_only_know_the_layer_below(module, class_name, allowed_service_import, delegate):
    path = SERVICES / module
    service_imports = {name for name in imported_modules(path) if name.startswith("server.app.services")}
    assert service_imports == {allowed_service_import}
    assert "ToolRunner" not in path.read_text(encoding="utf-8")
    assert collaborators_called(path, class_name) - {"self._jobs", "self._lock"} == {delegate}
