"""Job management: every analysis is a job with an id, a status and a bounded history.

Jobs run synchronously (`run_job`) or in the background (`submit_job`). Plugin management
returns an error envelope instead of raising; a job that gets one is FAILED and keeps the
envelope in `Job.error`.
"""

from __future__ import annotations

import queue
import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import Enum
from typing import Any

from server.app.error_envelope import is_error_envelope
from server.app.services.plugin_management_service import PluginManagementService
from server.app.services.tool_runner import ToolRunner  # VIOLATION: §6 JobManagementService imports ToolRunner (breaks the runner-gateway and execution-chain import contracts)


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


class JobStatus(str, Enum):
    PENDING = "pending"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"


class JobNotFoundError(KeyError):
    def __init__(self, job_id: str) -> None:
        super().__init__(job_id)
        self.job_id = job_id

    def __str__(self) -> str:
        return f"unknown job: {self.job_id!r}"


@dataclass
class Job:
    job_id: str
    plugin_name: str
    status: JobStatus = JobStatus.PENDING
    created_at: datetime = field(default_factory=_utcnow)
    finished_at: datetime | None = None
    result: dict[str, Any] | None = None
    error: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:  # VIOLATION: §8 changed return shape: the Phase 11 key "finished_at" was dropped
        return {
            "job_id": self.job_id,
            "plugin": self.plugin_name,
            "status": self.status.value,
            "created_at": self.created_at.isoformat(),
            "error": self.error["error"] if self.error else None,
        }


class _JobWorker(threading.Thread):
    """Runs submitted jobs in the background until the queue stays empty for `idle_s`."""

    def __init__(self, jobs: JobManagementService, *, idle_s: float = 5.0) -> None:
        super().__init__(name="job-worker", daemon=True)
        self.jobs = jobs
        self.idle_s = idle_s
        self.queue: queue.Queue[tuple[Job, dict[str, Any]]] = queue.Queue()

    def run(self) -> None:
        while True:
            try:
                job, payload = self.queue.get(timeout=self.idle_s)
            except queue.Empty:
                return
            self.jobs._execute(job, payload)

    def drain(self) -> None:
        """Run what is queued in the calling thread (shutdown, tests)."""
        self.idle_s = 0.0
        self.run()


class JobManagementService:
    def __init__(self, plugin_mgmt: PluginManagementService | None = None, *,
                 history_size: int = 1000) -> None:
        self._plugin_mgmt = plugin_mgmt if plugin_mgmt is not None else PluginManagementService()
        self._runner = ToolRunner(self._plugin_mgmt.registry)  # VIOLATION: §6 JobManagementService holds its own ToolRunner
        self._history_size = history_size
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._worker: _JobWorker | None = None

    def run_job(self, plugin_name: str, payload: dict[str, Any]) -> Job:
        """Run one analysis as a job and return the finished job."""
        job = self._new_job(plugin_name)
        self._execute(job, payload)
        return job

    def submit_job(self, plugin_name: str, payload: dict[str, Any]) -> Job:
        """Queue one analysis and return the pending job at once."""
        job = self._new_job(plugin_name)
        with self._lock:
            if self._worker is None or not self._worker.is_alive():
                self._worker = _JobWorker(self)
                self._worker.start()
            self._worker.queue.put((job, payload))
        return job

    def retry_job(self, job_id: str, payload: dict[str, Any]) -> Job:
        """Re-run a failed job. Retries go straight to the runner, bypassing plugin management."""
        previous = self.get_job(job_id)
        job = self._new_job(previous.plugin_name)
        job.status = JobStatus.RUNNING
        self._finish(job, self._runner.run(previous.plugin_name, payload))  # VIOLATION: §6 calls ToolRunner.run directly instead of self._plugin_mgmt.execute_plugin(...)
        return job

    def get_job(self, job_id: str) -> Job:
        with self._lock:
            try:
                return self._jobs[job_id]
            except KeyError:
                raise JobNotFoundError(job_id) from None

    def list_jobs(self, status: JobStatus) -> list[Job]:  # VIOLATION: §8 changed signature: `status` is required (Phase 11: status=None)
        """The jobs in the history with `status`, oldest first."""
        with self._lock:
            jobs = list(self._jobs.values())
        return [job for job in jobs if job.status is status]

    def list_plugins(self) -> list[dict[str, Any]]:
        return self._plugin_mgmt.list_plugins()

    def _execute(self, job: Job, payload: dict[str, Any]) -> None:
        job.status = JobStatus.RUNNING
        self._finish(job, self._plugin_mgmt.execute_plugin(job.plugin_name, payload))

    def _finish(self, job: Job, outcome: dict[str, Any]) -> None:
        if is_error_envelope(outcome):
            job.status = JobStatus.FAILED
            job.error = outcome
        else:
            job.status = JobStatus.COMPLETED
            job.result = outcome
        job.finished_at = _utcnow()

    def _new_job(self, plugin_name: str) -> Job:
        job = Job(job_id=uuid.uuid4().hex, plugin_name=plugin_name)
        with self._lock:
            self._jobs[job.job_id] = job
            while len(self._jobs) > self._history_size:
                self._jobs.popitem(last=False)
        return job
