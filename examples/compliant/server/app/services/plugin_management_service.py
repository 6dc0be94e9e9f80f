"""Plugin management: which plugins exist, and executing one of them through the ToolRunner."""

from __future__ import annotations

from typing import Any

from server.app.plugin_registry import PluginRegistry, build_default_registry
from server.app.services.tool_runner import ToolRunner


class PluginManagementService:
    def __init__(self, registry: PluginRegistry | None = None,
                 runner: ToolRunner | None = None) -> None:
        self._registry = registry if registry is not None else build_default_registry()
        self._runner = runner if runner is not None else ToolRunner(self._registry)

    @property
    def registry(self) -> PluginRegistry:
        return self._registry

    def list_plugins(self) -> list[dict[str, Any]]:
        return self._registry.describe_all()

    def execute_plugin(self, plugin_name: str, payload: dict[str, Any]) -> dict[str, Any]:
        """The validated output of the plugin `plugin_name` on `payload`, or an error envelope.

        Execution is the ToolRunner's job; this method never raises for a failing plugin.
        """
        return self._runner.run(plugin_name, payload)
