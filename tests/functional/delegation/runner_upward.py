# phase12-path: server/app/services/tool_runner.py
"""Helpers of the runner module that reach up into the services."""
from server.app.services.analysis_service import AnalysisService  # expect: GOV607


def notify_analysis(plugin_name):
    AnalysisService.current().notify(plugin_name)  # expect: GOV607


class RunnerHooks:
    def __init__(self, plugin_mgmt):
        self._plugin_mgmt = plugin_mgmt  # expect: GOV607
        self._jobs = {}

    def after_run(self, plugin_name):
        self._jobs[plugin_name] = "done"
        return self._plugin_mgmt.refresh(plugin_name)  # expect: GOV607
