"""The analysis service: what the HTTP API talks to."""

from __future__ import annotations

from typing import Any

from server.app.services.job_management_service import JobManagementService


class AnalysisService:
    def __init__(self, job_mgmt: JobManagementService | None = None) -> None:
        self._job_mgmt = job_mgmt if job_mgmt is not None else JobManagementService()

    def analyze(self, plugin_name: str, payload: dict[str, Any]) -> dict[str, Any]:
        """The output of the plugin `plugin_name` on `payload`, or the error envelope of the
        failure (see `server.app.error_envelope`)."""
        job = self._job_mgmt.run_job(plugin_name, payload)
        if job.error is not None:
            return job.error
        return job.result or {}

    def available_plugins(self) -> list[dict[str, Any]]:
        return self._job_mgmt.list_plugins()
