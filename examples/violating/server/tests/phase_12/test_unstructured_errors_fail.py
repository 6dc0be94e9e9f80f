"""Checklist §4: no raw exception escapes the runner; every failure is a structured envelope."""

from __future__ import annotations

import pytest

from server.app.error_envelope import is_error_envelope
from server.app.plugin_registry import PluginNotFoundError
from server.app.plugins.base import PluginError
from server.app.services.analysis_service import AnalysisService
from server.app.services.job_management_service import JobManagementService, JobStatus
from server.app.services.plugin_management_service import PluginManagementService


class CustomFailure(Exception):
    pass


EXCEPTIONS = [
    RuntimeError("boom"),
    ValueError("bad value"),
    KeyError("missing"),
    TypeError("wrong type"),
    ZeroDivisionError("division by zero"),
    PluginError("plugin says no"),
    CustomFailure({"not": "a string"}),
    TimeoutError(),
    RecursionError("too deep"),
]


@pytest.mark.parametrize("exc", EXCEPTIONS, ids=lambda exc: type(exc).__name__)
def test_plugin_exceptions_never_escape_the_runner(runner, scripted, valid_payload, exc):
    scripted(raises=exc)
    envelope = runner.run("scripted", valid_payload)
    assert is_error_envelope(envelope)
    assert envelope["error"]["type"] == type(exc).__name__
    assert isinstance(envelope["error"]["message"], str) and envelope["error"]["message"]


def test_an_unknown_plugin_is_a_structured_error_too(runner, valid_payload):
    envelope = runner.run("no-such-plugin", valid_payload)
    assert envelope["error"]["type"] == PluginNotFoundError.__name__
    assert envelope["error"]["plugin"] == "no-such-plugin"


def test_a_returned_error_string_is_not_accepted_as_a_result(runner, scripted, valid_payload):
    scripted("ERROR: could not read image")
    assert is_error_envelope(runner.run("scripted", valid_payload))


def test_a_returned_ad_hoc_error_object_is_not_accepted(runner, scripted, valid_payload):
    scripted({"error": "could not read image"})
    envelope = runner.run("scripted", valid_payload)
    assert is_error_envelope(envelope)
    assert envelope["error"]["type"] == "ValidationError"


def test_the_service_chain_passes_envelopes_up_unchanged(registry, scripted, valid_payload):
    scripted(raises=RuntimeError("boom"))
    jobs = JobManagementService(PluginManagementService(registry))
    result = AnalysisService(jobs).analyze("scripted", valid_payload)
    assert is_error_envelope(result)
    assert result["error"]["message"] == "boom"
    [job] = jobs.list_jobs()
    assert job.status is JobStatus.FAILED and job.error is result and job.result is None
    assert job.to_dict()["error"] == result["error"]
