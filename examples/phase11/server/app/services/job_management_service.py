"""Job management: every analysis is a job with an id, a status and a bounded history."""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import Enum
from typing import Any

from server.app.services.plugin_management_service import PluginManagementService


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

    def to_dict(self) -> dict[str, Any]:
        return {
            "job_id": self.job_id,
            "plugin": self.plugin_name,
            "status": self.status.value,
            "created_at": self.created_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
        }


class JobManagementService:
    def __init__(self, plugin_mgmt: PluginManagementService | None = None, *,
                 history_size: int = 1000) -> None:
        self._plugin_mgmt = plugin_mgmt if plugin_mgmt is not None else PluginManagementService()
        self._history_size = history_size
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()

    def run_job(self, plugin_name: str, payload: dict[str, Any]) -> Job:
        """Run one analysis as a job and return the finished job.

        A plugin failure marks the job failed and propagates to the caller.
        """
        job = self._new_job(plugin_name)
        job.status = JobStatus.RUNNING
        try:
            job.result = self._plugin_mgmt.execute_plugin(plugin_name, payload)
        except Exception:
            job.status = JobStatus.FAILED
            raise
        else:
            job.status = JobStatus.COMPLETED
        finally:
            job.finished_at = _utcnow()
        return job

    def get_job(self, job_id: str) -> Job:
        with self._lock:
            try:
                return self._jobs[job_id]
            except KeyError:
                raise JobNotFoundError(job_id) from None

    def list_jobs(self, status: JobStatus | None = None) -> list[Job]:
        """The jobs in the history, oldest first, optionally only those with `status`."""
        with self._lock:
            jobs = list(self._jobs.values())
        return [job for job in jobs if status is None or job.status is status]

    def list_plugins(self) -> list[dict[str, Any]]:
        return self._plugin_mgmt.list_plugins()

    def _new_job(self, plugin_name: str) -> Job:
        job = Job(job_id=uuid.uuid4().hex, plugin_name=plugin_name)
        with self._lock:
            self._jobs[job.job_id] = job
            while len(self._jobs) > self._history_size:
                self._jobs.popitem(last=False)
        return job
