"""Job management: one job per analysis."""

from __future__ import annotations

from typing import Any

from shop.plugin_management_service import PluginManagementService


class JobManagementService:
    def __init__(self, plugin_mgmt: PluginManagementService | None = None) -> None:
        self._plugin_mgmt = plugin_mgmt or PluginManagementService()
        self.finished = 0

    def run_job(self, name: str, payload: dict[str, Any]) -> dict[str, Any]:
        outcome = self._plugin_mgmt.execute_plugin(name, payload)
        self.finished += 1
        return outcome
