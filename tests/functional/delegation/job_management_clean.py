# phase12-path: server/app/services/job_management_service.py
"""Job management delegates to plugin management and never touches the ToolRunner.

`self._runner.run(...)` in this docstring is not code.
"""
from __future__ import annotations

import threading
import uuid
from typing import TYPE_CHECKING

from server.app.services.plugin_management_service import PluginManagementService

if TYPE_CHECKING:
    from server.app.services.tool_runner import ToolRunner


class JobRunner(threading.Thread):
    """A worker thread: a "runner" that has nothing to do with the tool runner."""


class JobManagementService:
    def __init__(self, plugin_mgmt: PluginManagementService) -> None:
        self._plugin_mgmt = plugin_mgmt
        self._jobs: dict[str, str] = {}
        self.runner = JobRunner(daemon=True)

    def run_job(self, plugin_name: str, payload: dict) -> dict:
        job_id = uuid.uuid4().hex
        self._jobs[job_id] = "running"
        result = self._plugin_mgmt.execute_plugin(plugin_name, payload)
        self._jobs[job_id] = "done"
        return result

    def execute_job(self, plugin_name: str, payload: dict) -> dict:
        return self.run_job(plugin_name, payload)

    def start_workers(self) -> None:
        self.runner.start()

    def describe(self, runner: ToolRunner) -> str:
        return type(runner).__name__
