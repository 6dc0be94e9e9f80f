"""Plugin management: executes a plugin through the runner."""

from __future__ import annotations

from typing import Any

from shop.plugin_registry import PluginRegistry
from shop.tool_runner import ToolRunner


class PluginManagementService:
    def __init__(self, registry: PluginRegistry | None = None) -> None:
        self._registry = registry or PluginRegistry()
        self._runner = ToolRunner(registry)

    def execute_plugin(self, name: str, payload: dict[str, Any]) -> dict[str, Any]:
        return self._runner.run(name, payload)
