# phase12-path: server/app/api/analyze.py
"""A result object whose error the routes never look up by the error key: what its attributes
hold is unknown here, so nothing that depends on it is judged."""
from fastapi import APIRouter, HTTPException

from server.app.services.analysis_service import analysis_service

router = APIRouter()


@router.post("/analyze")
def analyze(tool: str, body: dict):
    outcome = analysis_service.analyze(tool, body)
    if outcome.failed:
        raise HTTPException(status_code=400, detail=outcome.error_body)
    return {"result": outcome.data, "plugin": tool}


@router.post("/analyze/summary")
def analyze_summary(tool: str, body: dict):
    outcome = analysis_service.analyze(tool, body)
    if outcome.failed:
        raise HTTPException(status_code=400, detail=outcome.describe_failure())
    return {"result": outcome.summary(), "plugin": tool, "took_ms": outcome.took_ms}
