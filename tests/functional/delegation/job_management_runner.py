# phase12-path: server/app/services/job_management_service.py
"""Job management that reaches for the runner itself."""
import server.app.services.tool_runner as runner_module  # expect: GOV604

from . import tool_runner  # expect: GOV604
from .tool_runner import ToolRunner  # expect: GOV604


class JobManagementService:
    def __init__(self, plugin_mgmt, runner):
        self._plugin_mgmt = plugin_mgmt
        self._runner = runner  # expect: GOV604
        # The same skip again in the same function: one finding, at its first site.
        self._backup = ToolRunner(registry=None)

    def run_job(self, plugin_name, payload):
        return self._runner.run(plugin_name, payload)  # expect: GOV604

    def execute_job(self, plugin_name, payload):
        return self._plugin_mgmt._runner.run(plugin_name, payload)  # expect: GOV604

    def submit_job(self, plugin_name, payload):
        return runner_module.ToolRunner(None).run(plugin_name, payload)  # expect: GOV604

    def retry_job(self, plugin_name, payload):
        return tool_runner.ToolRunner(None).run(plugin_name, payload)  # expect: GOV604

    def fallback_job(self, plugin_name, payload):
        return self._backup.run(plugin_name, payload)  # expect: GOV604
