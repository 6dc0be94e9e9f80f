"""The service instance the routes use: built on first use, replaceable for tests."""

from __future__ import annotations

import threading

from server.app.services.analysis_service import AnalysisService

_lock = threading.Lock()
_service: AnalysisService | None = None


def get_analysis_service() -> AnalysisService:
    global _service
    with _lock:
        if _service is None:
            _service = AnalysisService()
        return _service


def set_analysis_service(service: AnalysisService | None) -> None:
    """Use `service` from now on; `None` builds a fresh default one on next use."""
    global _service
    with _lock:
        _service = service
