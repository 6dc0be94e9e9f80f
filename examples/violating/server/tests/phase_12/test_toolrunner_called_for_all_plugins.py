"""Checklist §6: PluginManagementService executes every plugin through the ToolRunner."""

from __future__ import annotations

import pytest

from server.app.plugin_registry import default_registry
from server.app.services.plugin_management_service import PluginManagementService
from server.app.services.tool_runner import ToolRunner

PLUGIN_NAMES = default_registry().names()


class RecordingRunner(ToolRunner):
    def __init__(self, registry) -> None:
        super().__init__(registry)
        self.calls: list[tuple[str, object]] = []

    def run(self, plugin_name, payload):
        self.calls.append((plugin_name, payload))
        return super().run(plugin_name, payload)


@pytest.fixture
def recording_runner(registry) -> RecordingRunner:
    return RecordingRunner(registry)


def test_every_builtin_plugin_is_covered():
    assert PLUGIN_NAMES == ["metadata", "motion", "ocr"]


@pytest.mark.parametrize("name", PLUGIN_NAMES)
def test_execute_plugin_goes_through_the_runner(registry, recording_runner, valid_payload, name):
    service = PluginManagementService(registry, runner=recording_runner)
    output = service.execute_plugin(name, valid_payload)
    assert recording_runner.calls == [(name, valid_payload)]
    assert "error" not in output
    assert registry.record(name).success_count == 1


@pytest.mark.parametrize("name", PLUGIN_NAMES)
def test_failures_go_through_the_runner_too(registry, recording_runner, name):
    service = PluginManagementService(registry, runner=recording_runner)
    envelope = service.execute_plugin(name, {"image": "", "mime_type": "image/png"})
    assert recording_runner.calls == [(name, {"image": "", "mime_type": "image/png"})]
    assert envelope["error"]["plugin"] == name
    assert registry.record(name).error_count == 1


def test_unknown_plugins_go_through_the_runner(registry, recording_runner, valid_payload):
    envelope = PluginManagementService(registry, runner=recording_runner).execute_plugin(
        "ghost", valid_payload)
    assert recording_runner.calls == [("ghost", valid_payload)]
    assert envelope["error"]["type"] == "PluginNotFoundError"


def test_the_default_runner_uses_the_services_registry(registry, valid_payload):
    service = PluginManagementService(registry)
    service.execute_plugin("motion", valid_payload)
    assert registry.record("motion").success_count == 1
