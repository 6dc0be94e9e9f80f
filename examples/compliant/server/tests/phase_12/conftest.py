"""Fixtures for the Phase 12 checklist tests: a registry, a runner and recording plugins."""

from __future__ import annotations

from typing import Any

import pytest

from server.app.plugin_registry import PluginRegistry, build_default_registry
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
    return build_default_registry()


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
