# phase12-path: server/app/services/audit_service.py
"""The audit layer calls the layer below it, plugin management, and nothing else."""
from server.app.services.plugin_management_service import PluginManagementService


class AuditService:
    def __init__(self, plugin_mgmt: PluginManagementService) -> None:
        self._plugin_mgmt = plugin_mgmt
        self._log: list[str] = []

    def audited(self, plugin_name: str, payload: dict) -> dict:
        self._log.append(plugin_name)
        return self._plugin_mgmt.execute_plugin(plugin_name, payload)
