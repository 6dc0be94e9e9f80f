"""Plugin management: which plugins exist, and executing one of them."""

from __future__ import annotations

from typing import Any

from server.app.plugin_registry import PluginRegistry, build_default_registry


class PluginManagementService:
    def __init__(self, registry: PluginRegistry | None = None) -> None:
        self._registry = registry if registry is not None else build_default_registry()

    @property
    def registry(self) -> PluginRegistry:
        return self._registry

    def list_plugins(self) -> list[dict[str, Any]]:
        return self._registry.describe_all()

    def execute_plugin(self, plugin_name: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Run the plugin `plugin_name` on `payload` and return its output.

        Raises `PluginNotFoundError` for an unknown plugin and whatever the plugin raises.
        """
        plugin = self._registry.get(plugin_name)
        return plugin.run(payload)
