# phase12-path: server/app/services/plugin_management_service.py
"""The checklist's plugin-management service: it executes only through self._runner.run(...).

Text such as ToolRunner(registry).run(name, payload) or plugin.run(payload) in a docstring is
not code.
"""
from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from tomlkit.api import loads

from server.app.plugin_registry import PluginRegistry
from server.app.services.tool_runner import ToolRunner

if TYPE_CHECKING:
    from server.app.services.job_management_service import JobManagementService


class PluginManagementService:
    def __init__(self, registry: PluginRegistry, runner: ToolRunner | None = None) -> None:
        self._registry = registry
        # A default runner wired in the constructor is still the injected attribute.
        self._runner = runner or ToolRunner(registry)
        self._jobs = {}

    def execute_plugin(self, plugin_name: str, payload: dict) -> dict:
        # plugin.run(payload) happens inside the runner, never here.
        return self._runner.run(plugin_name, payload)

    def execute_many(self, requests: list[tuple[str, dict]]) -> list[dict]:
        return [self.execute_plugin(name, payload) for name, payload in requests]

    async def execute_async(self, plugin_name: str, payload: dict) -> dict:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, self._runner.run, plugin_name, payload)

    def list_plugins(self) -> list[str]:
        return sorted(self._registry.names())

    def plugin_settings(self, text: str) -> dict:
        # `tomlkit.api` is a library module, not this project's API layer.
        return dict(loads(text))

    def attach(self, owner: JobManagementService) -> str:
        self._jobs[id(owner)] = "attached"
        return type(owner).__name__


def build_plugin_management(registry: PluginRegistry) -> PluginManagementService:
    """Wiring: building a runner and handing it to the service is fine."""
    return PluginManagementService(registry, runner=ToolRunner(registry))
