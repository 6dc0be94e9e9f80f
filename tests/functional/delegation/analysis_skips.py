# phase12-path: server/app/services/analysis_service.py
"""An analysis service that skips layers."""
from server.app.services import tool_runner  # expect: GOV606
from server.app.services.plugin_management_service import PluginManagementService  # expect: GOV606

from ..services.tool_runner import ToolRunner  # expect: GOV606


class AnalysisService:
    def __init__(self, job_mgmt, plugin_mgmt):
        self._job_mgmt = job_mgmt
        self._plugin_mgmt = plugin_mgmt  # expect: GOV606

    def analyze(self, plugin_name, payload):
        return self._plugin_mgmt.execute_plugin(plugin_name, payload)  # expect: GOV606

    def analyze_fast(self, plugin_name, payload):
        return ToolRunner(None).run(plugin_name, payload)  # expect: GOV606

    def analyze_through(self, plugin_name, payload):
        return self._job_mgmt._plugin_mgmt.execute_plugin(plugin_name, payload)  # expect: GOV606

    def analyze_module(self, plugin_name, payload):
        return tool_runner.run_isolated(plugin_name, payload)  # expect: GOV606

    def rebuild(self, registry):
        return PluginManagementService(registry)  # expect: GOV606
