"""What the API talks to."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from shop.job_management_service import JobManagementService


class AnalysisService:
    def __init__(self, job_mgmt: JobManagementService | None = None) -> None:
        self._job_mgmt = job_mgmt or JobManagementService()

    def analyze(self, name: str, payload: dict[str, Any]) -> dict[str, Any]:
        return self._job_mgmt.run_job(name, payload)


@lru_cache(maxsize=1)
def get_analysis_service() -> AnalysisService:
    return AnalysisService()
