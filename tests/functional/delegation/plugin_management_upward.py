# phase12-path: server/app/services/plugin_management_service.py
"""Plugin management that depends on the layers above it."""
from typing import TYPE_CHECKING

import server.app.services.analysis_service  # expect: GOV607
from server.app.api.analyze import router  # expect: GOV607
from server.app.services.job_management_service import JobStatus  # expect: GOV607

if TYPE_CHECKING:
    from server.app.services.analysis_service import AnalysisService


class PluginManagementService:
    def __init__(self, runner, job_mgmt):
        self._runner = runner
        self._job_mgmt = job_mgmt  # expect: GOV607

    def execute_plugin(self, plugin_name, payload):
        self._job_mgmt.mark(plugin_name, JobStatus.RUNNING)  # expect: GOV607
        return self._runner.run(plugin_name, payload)

    def owner(self) -> "AnalysisService":
        return server.app.services.analysis_service.current()  # expect: GOV607

    def routes(self):
        return router.routes  # expect: GOV607
