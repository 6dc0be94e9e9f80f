"""Checklist §5: registry metrics are updated after every execution, and not before.

"Not updated yet": a freshly registered plugin has no metrics, and while a plugin is running
its metrics still describe the previous executions. The update happens once, after the plugin
has returned or failed (in the runner's `finally`).
"""

from __future__ import annotations

from datetime import datetime

import pytest

from server.app.plugin_registry import PluginRegistry, PluginState
from server.app.plugins.base import BasePlugin
from server.app.services.tool_runner import ToolRunner


class MetricsProbePlugin(BasePlugin):
    """Records the registry's view of itself while it runs."""

    name = "probe"

    def __init__(self, registry: PluginRegistry, *, fail: bool = False) -> None:
        self.registry = registry
        self.fail = fail
        self.seen_during_run: list[tuple[int, int, object]] = []

    def run(self, payload):
        record = self.registry.record(self.name)
        self.seen_during_run.append((record.success_count, record.error_count, record.last_used))
        if self.fail:
            raise RuntimeError("probe failure")
        return {"ok": True}


@pytest.fixture
def probe_registry() -> PluginRegistry:
    return PluginRegistry()


def test_a_new_plugin_has_no_metrics_yet(registry):
    record = registry.record("ocr")
    assert (record.success_count, record.error_count) == (0, 0)
    assert record.last_execution_time_ms is None and record.avg_execution_time_ms is None
    assert record.last_used is None
    assert record.state == PluginState.REGISTERED


def test_metrics_are_not_updated_while_the_plugin_runs(probe_registry, valid_payload):
    probe = MetricsProbePlugin(probe_registry)
    probe_registry.register(probe)
    runner = ToolRunner(probe_registry)
    runner.run("probe", valid_payload)
    runner.run("probe", valid_payload)
    first, second = probe.seen_during_run
    assert first == (0, 0, None)
    assert second[:2] == (1, 0) and second[2] is not None


def test_success_updates_every_metric(probe_registry, valid_payload):
    probe_registry.register(MetricsProbePlugin(probe_registry))
    ToolRunner(probe_registry).run("probe", valid_payload)
    record = probe_registry.record("probe")
    assert (record.success_count, record.error_count) == (1, 0)
    assert record.last_execution_time_ms is not None and record.last_execution_time_ms >= 0
    assert record.avg_execution_time_ms == record.last_execution_time_ms
    assert isinstance(record.last_used, datetime)
    assert record.state == PluginState.SUCCESS


def test_failure_updates_every_metric(probe_registry, valid_payload):
    probe_registry.register(MetricsProbePlugin(probe_registry, fail=True))
    envelope = ToolRunner(probe_registry).run("probe", valid_payload)
    assert envelope["error"]["message"] == "probe failure"
    record = probe_registry.record("probe")
    assert (record.success_count, record.error_count) == (0, 1)
    assert record.last_execution_time_ms is not None
    assert isinstance(record.last_used, datetime)
    assert record.state == PluginState.ERROR


def test_invalid_input_counts_as_a_failed_execution(registry, runner):
    runner.run("ocr", {"image": "", "mime_type": "image/png"})
    record = registry.record("ocr")
    assert (record.success_count, record.error_count) == (0, 1)
    assert record.state == PluginState.ERROR


def test_unknown_plugins_are_not_recorded(registry, runner, valid_payload):
    runner.run("ghost", valid_payload)
    assert "ghost" not in registry
    assert all(entry["success_count"] + entry["error_count"] == 0 for entry in registry.describe_all())


def test_average_is_the_running_mean():
    registry = PluginRegistry()
    registry.register(MetricsProbePlugin(registry))
    for duration in (10.0, 20.0, 60.0):
        registry.update_execution_metrics("probe", success=True, duration_ms=duration)
    record = registry.record("probe")
    assert record.avg_execution_time_ms == pytest.approx(30.0)
    assert record.last_execution_time_ms == 60.0
    assert record.success_count == 3


def test_state_follows_the_latest_outcome():
    registry = PluginRegistry()
    registry.register(MetricsProbePlugin(registry))
    registry.update_execution_metrics("probe", success=False, duration_ms=1.0)
    assert registry.record("probe").state == PluginState.ERROR
    registry.update_execution_metrics("probe", success=True, duration_ms=1.0)
    assert registry.record("probe").state == PluginState.SUCCESS
    assert {state.value for state in PluginState} >= {"SUCCESS", "ERROR"}


def test_describe_all_exposes_the_metrics(registry, runner, valid_payload):
    runner.run("metadata", valid_payload)
    [entry] = [entry for entry in registry.describe_all() if entry["name"] == "metadata"]
    assert entry["success_count"] == 1 and entry["state"] == "SUCCESS"
    assert {"last_execution_time_ms", "avg_execution_time_ms", "last_used"} <= entry.keys()
