# phase12-path: server/app/services/analysis_service.py
"""The analysis service delegates to job management; it never calls plugin.run(payload)."""
from server.app.services.job_management_service import JobManagementService


class AnalysisService:
    def __init__(self, job_mgmt: JobManagementService) -> None:
        self._job_mgmt = job_mgmt

    def analyze(self, plugin_name: str, payload: dict) -> dict:
        return self._job_mgmt.run_job(plugin_name, payload)

    def status(self, job_id: str) -> str:
        return self._job_mgmt.status(job_id)


def get_analysis_service() -> AnalysisService:
    from server.app.dependencies import build_job_management

    return AnalysisService(build_job_management())
