"""The analysis service: what the HTTP API talks to."""

from __future__ import annotations

from typing import Any

from server.app.plugins.motion import MotionPlugin  # VIOLATION: §1 AnalysisService imports a plugin implementation (only the ToolRunner and the registry may)
from server.app.services.job_management_service import JobManagementService
from server.app.services.plugin_management_service import PluginManagementService  # VIOLATION: §6 AnalysisService imports PluginManagementService, skipping JobManagementService

# Live camera streams need a more sensitive motion threshold than uploaded frames.
STREAM_MOTION_THRESHOLD = MotionPlugin.DEFAULT_THRESHOLD / 2


class AnalysisService:
    def __init__(self, job_mgmt: JobManagementService | None = None,
                 plugin_mgmt: PluginManagementService | None = None) -> None:
        self._plugin_mgmt = plugin_mgmt if plugin_mgmt is not None else PluginManagementService()  # VIOLATION: §6 AnalysisService constructs and holds a PluginManagementService
        self._job_mgmt = job_mgmt if job_mgmt is not None else JobManagementService()

    def analyze(self, plugin_name: str, payload: dict[str, Any]) -> dict[str, Any]:
        """The output of the plugin `plugin_name` on `payload`, or the error envelope of the
        failure. Previews are not tracked as jobs."""
        options = dict(payload.get("options") or {})
        if plugin_name == "motion" and options.get("source") == "stream":
            options.setdefault("threshold", STREAM_MOTION_THRESHOLD)
            payload = {**payload, "options": options}
        if options.get("preview"):
            return self._plugin_mgmt.execute_plugin(plugin_name, payload)  # VIOLATION: §6 AnalysisService calls PluginManagementService directly instead of self._job_mgmt
        job = self._job_mgmt.run_job(plugin_name, payload)
        if job.error is not None:
            return job.error
        return job.result or {}

    def available_plugins(self) -> list[dict[str, Any]]:
        return self._job_mgmt.list_plugins()
