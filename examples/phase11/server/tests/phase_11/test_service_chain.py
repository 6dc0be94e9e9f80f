"""AnalysisService -> JobManagementService -> PluginManagementService, on real plugins."""

from __future__ import annotations

import pytest

from server.app.plugin_registry import PluginRegistry
from server.app.plugins.metadata import ImageMetadataPlugin
from server.app.plugins.motion import MotionPlugin
from server.app.plugins.ocr import OcrPlugin
from server.app.services.analysis_service import AnalysisService
from server.app.services.job_management_service import (
    Job,
    JobManagementService,
    JobNotFoundError,
    JobStatus,
)
from server.app.services.plugin_management_service import PluginManagementService


@pytest.fixture
def plugin_mgmt() -> PluginManagementService:
    registry = PluginRegistry()
    for plugin in (ImageMetadataPlugin(), MotionPlugin(), OcrPlugin()):
        registry.register(plugin)
    return PluginManagementService(registry)


@pytest.fixture
def job_mgmt(plugin_mgmt) -> JobManagementService:
    return JobManagementService(plugin_mgmt)


def test_plugin_management_returns_the_plugin_output(plugin_mgmt, make_payload, png_factory):
    output = plugin_mgmt.execute_plugin("metadata", make_payload(png_factory(3, 9)))
    assert output["width"] == 3 and output["height"] == 9


def test_plugin_management_lists_plugins(plugin_mgmt):
    assert [entry["name"] for entry in plugin_mgmt.list_plugins()] == ["metadata", "motion", "ocr"]
    assert plugin_mgmt.registry.names() == ["metadata", "motion", "ocr"]


def test_plugin_management_builds_a_default_registry():
    assert "ocr" in PluginManagementService().registry


def test_run_job_returns_a_completed_job(job_mgmt, make_payload):
    job = job_mgmt.run_job("metadata", make_payload())
    assert isinstance(job, Job)
    assert job.status is JobStatus.COMPLETED
    assert job.plugin_name == "metadata"
    assert job.result is not None and job.result["format"] == "png"
    assert job.finished_at is not None and job.finished_at >= job.created_at


def test_jobs_can_be_looked_up_and_listed(job_mgmt, make_payload):
    first = job_mgmt.run_job("metadata", make_payload())
    second = job_mgmt.run_job("motion", make_payload())
    assert job_mgmt.get_job(first.job_id) is first
    assert job_mgmt.list_jobs() == [first, second]
    assert job_mgmt.list_jobs(status=JobStatus.COMPLETED) == [first, second]
    assert job_mgmt.list_jobs(JobStatus.FAILED) == []
    with pytest.raises(JobNotFoundError):
        job_mgmt.get_job("missing")


def test_job_history_is_bounded(plugin_mgmt, make_payload):
    jobs = JobManagementService(plugin_mgmt, history_size=2)
    ids = [jobs.run_job("metadata", make_payload()).job_id for _ in range(3)]
    assert [job.job_id for job in jobs.list_jobs()] == ids[1:]


def test_job_to_dict(job_mgmt, make_payload):
    job = job_mgmt.run_job("metadata", make_payload())
    data = job.to_dict()
    assert {"job_id", "plugin", "status", "created_at", "finished_at"} <= data.keys()
    assert data["plugin"] == "metadata" and data["status"] == "completed"


def test_analysis_service_returns_the_plugin_result(job_mgmt, make_payload, png_factory):
    service = AnalysisService(job_mgmt)
    result = service.analyze("ocr", make_payload(png_factory(text="Hello, world"), engine="builtin"))
    assert "Hello, world" in result["lines"]
    assert [entry["name"] for entry in service.available_plugins()] == ["metadata", "motion", "ocr"]
