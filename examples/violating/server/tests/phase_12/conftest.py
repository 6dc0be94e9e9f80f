"""Fixtures for the Phase 12 checklist tests: a registry, a runner and recording plugins."""

from __future__ import annotations

from typing import Any

import pytest

from server.app.plugin_registry import PluginRegistry, default_registry
from server.app.plugins.base import BasePlugin
from server.app.services.tool_runner import ToolRunner

DEFAULT_OUTPUT = {"ok": True}
_UNSET: Any = object()


class ScriptedPlugin(BasePlugin):
    """A plugin that returns, or raises, whatever the test scripts, and records its calls."""

    name = "scripted"
    version = "0.0.1"
    description = "Test double."

    def __init__(self, outcome: Any = _UNSET, *, raises: BaseException | None = None) -> None:
        self.outcome = dict(DEFAULT_OUTPUT) if outcome is _UNSET else outcome
        self.raises = raises
        self.calls: list[Any] = []

    def run(self, payload: dict[str, Any]) -> dict[str, Any]:
        self.calls.append(payload)
        if self.raises is not None:
            raise self.raises
        return self.outcome


@pytest.fixture
def registry() -> PluginRegistry:
    return default_registry()


@pytest.fixture
def runner(registry) -> ToolRunner:
    return ToolRunner(registry)


@pytest.fixture
def scripted(registry):
    """`scripted(outcome=..., raises=...)` registers a ScriptedPlugin and returns it."""

    def install(outcome: Any = _UNSET, *, raises: BaseException | None = None) -> ScriptedPlugin:
        plugin = ScriptedPlugin(outcome, raises=raises)
        registry.register(plugin)
        return plugin

    return install


@pytest.fixture
def valid_payload(make_payload) -> dict[str, Any]:
    return make_payload(engine="builtin")


# The checklist tests below are the compliant project's, unchanged. These fail here because of
# the violations marked in the code (see VIOLATIONS.md); they are strict xfails, so fixing a
# violation makes its tests XPASS and fail until they are removed from this list.
# Keys are `file::test` (every parametrisation) or `file::test[id]` (that one only).
KNOWN_FAILURES = {
    # §2 input validation
    "test_input_validation.py::test_validation_happens_before_the_plugin_lookup":
        "§2 ToolRunner.run looks the plugin up before validate_input_payload",
    "test_input_validation.py::test_runner_rejects_bad_payloads_with_an_envelope[not an object]":
        "§4 ToolRunner.run reads payload options outside the try (AttributeError escapes)",
    # §4 structured errors
    "test_error_envelope_structure.py::test_envelope_has_the_specified_fields":
        "§4 build_error_envelope lacks error.timestamp and _internal.traceback",
    "test_error_envelope_structure.py::test_timestamp_is_iso_8601_utc":
        "§4 build_error_envelope lacks error.timestamp",
    "test_error_envelope_structure.py::test_traceback_names_the_exception_and_where_it_was_raised":
        "§4 build_error_envelope lacks _internal.traceback",
    "test_error_envelope_structure.py::test_is_error_envelope[value2-False]":
        "§4 without _internal, is_error_envelope accepts incomplete envelopes",
    "test_error_envelope_structure.py::test_the_runner_returns_this_structure":
        "§4 ToolRunner.run catches ValueError only: RuntimeError escapes",
    "test_unstructured_errors_fail.py::test_an_unknown_plugin_is_a_structured_error_too":
        "§2/§4 the plugin lookup is outside the try: PluginNotFoundError escapes",
    "test_unstructured_errors_fail.py::test_a_returned_error_string_is_not_accepted_as_a_result":
        "§3 validate_plugin_output is outside the try: ValidationError escapes",
    "test_unstructured_errors_fail.py::test_a_returned_ad_hoc_error_object_is_not_accepted":
        "§3 validate_plugin_output is outside the try: ValidationError escapes",
    "test_unstructured_errors_fail.py::test_the_service_chain_passes_envelopes_up_unchanged":
        "§4 ToolRunner.run catches ValueError only: RuntimeError escapes",
    **{f"test_unstructured_errors_fail.py::test_plugin_exceptions_never_escape_the_runner[{name}]":
       "§4 ToolRunner.run catches ValueError only (ValueError itself passes)"
       for name in ("RuntimeError", "KeyError", "TypeError", "ZeroDivisionError", "PluginError",
                    "CustomFailure", "TimeoutError", "RecursionError")},
    # §5 registry metrics
    "test_registry_metrics_not_updated_yet.py::test_metrics_are_not_updated_while_the_plugin_runs":
        "§5 update_execution_metrics never sets last_used",
    "test_registry_metrics_not_updated_yet.py::test_success_updates_every_metric":
        "§5 no avg_execution_time_ms or last_used; state 'DONE' instead of SUCCESS",
    "test_registry_metrics_not_updated_yet.py::test_failure_updates_every_metric":
        "§4/§5 RuntimeError escapes and the metrics update is not in finally",
    "test_registry_metrics_not_updated_yet.py::test_invalid_input_counts_as_a_failed_execution":
        "§5 the metrics update is in the try body: failures are not recorded",
    "test_registry_metrics_not_updated_yet.py::test_unknown_plugins_are_not_recorded":
        "§2/§4 the plugin lookup is outside the try: PluginNotFoundError escapes",
    "test_registry_metrics_not_updated_yet.py::test_average_is_the_running_mean":
        "§5 update_execution_metrics never updates avg_execution_time_ms",
    "test_registry_metrics_not_updated_yet.py::test_state_follows_the_latest_outcome":
        "§5 invalid lifecycle state 'DONE'",
    "test_registry_metrics_not_updated_yet.py::test_describe_all_exposes_the_metrics":
        "§5 invalid lifecycle state 'DONE'",
    "test_toolrunner_called_for_all_plugins.py::test_failures_go_through_the_runner_too":
        "§5 the metrics update is in the try body: failures are not recorded",
    "test_toolrunner_called_for_all_plugins.py::test_unknown_plugins_go_through_the_runner":
        "§2/§4 the plugin lookup is outside the try: PluginNotFoundError escapes",
    # §1 and §6 execution path and delegation
    "test_no_direct_plugin_run_calls.py::test_checklist_grep_audit_finds_nothing":
        "§1 plugin executions in plugin_management_service.py",
    "test_no_direct_plugin_run_calls.py::test_no_plugin_execution_outside_the_runner[api/analyze.py]":
        "§1 the API executes through its own ToolRunner",
    "test_no_direct_plugin_run_calls.py::test_no_plugin_execution_outside_the_runner"
    "[services/plugin_management_service.py]":
        "§1 PluginManagementService executes plugins directly",
    "test_no_direct_plugin_run_calls.py::test_plugin_management_only_calls_the_runner":
        "§1/§6 PluginManagementService executes plugins directly",
    "test_job_management_uses_plugin_management.py::test_services_only_know_the_layer_below":
        "§6 JobManagementService uses ToolRunner; AnalysisService uses PluginManagementService",
    **{f"test_job_management_uses_plugin_management.py::{name}":
       "§6 JobManagementService builds its own ToolRunner from plugin management's registry"
       for name in ("test_run_job_calls_execute_plugin", "test_an_envelope_fails_the_job",
                    "test_list_plugins_is_delegated",
                    "test_analysis_service_goes_through_job_management",
                    "test_analysis_service_returns_the_envelope_of_a_failed_job")},
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        key = f"{item.path.name}::{item.name}"
        reason = KNOWN_FAILURES.get(key) or KNOWN_FAILURES.get(key.split("[", 1)[0])
        if reason:
            item.add_marker(pytest.mark.xfail(reason=f"VIOLATION {reason}", strict=True))
