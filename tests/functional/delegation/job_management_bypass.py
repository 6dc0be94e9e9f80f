# phase12-path: server/app/services/job_management_service.py
"""Entry methods that never reach the plugin-management service."""
from server.app.sandbox import execute_in_sandbox


class JobManagementService:
    def __init__(self, plugin_mgmt, registry):
        self._plugin_mgmt = plugin_mgmt
        self._registry = registry

    def run_job(self, plugin_name, payload):  # expect: GOV603
        return execute_in_sandbox(plugin_name, payload)

    def submit_job(self, plugin_name, payload):  # expect: GOV603
        return self._prepare(plugin_name, payload)

    def _prepare(self, plugin_name, payload):
        return {"plugin": plugin_name, "known": self._plugin_mgmt.list_plugins()}

    def execute_job(self, plugin_name, payload):
        plugin = self._registry.get(plugin_name)
        return plugin.run(payload)  # expect: GOV101
