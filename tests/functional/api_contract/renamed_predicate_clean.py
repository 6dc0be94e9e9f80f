# phase12-path: server/app/api/analyze.py
"""The checklist's contract with renamed error predicates: 400 with the error envelope."""
from fastapi import APIRouter, HTTPException

from server.app.services.analysis_service import analysis_service

router = APIRouter()


def failed(outcome: dict) -> bool:
    return outcome.get("error") is not None


def rejected(outcome: dict) -> bool:
    if not isinstance(outcome, dict):
        return False
    return bool(outcome.get("error"))


@router.post("/analyze")
def analyze(plugin_name: str, payload: dict):
    result = analysis_service.analyze(plugin_name, payload)
    if failed(result):
        raise HTTPException(status_code=400, detail=result["error"])
    return {"result": result, "plugin": plugin_name}


@router.post("/analyze/strict")
def analyze_strict(plugin_name: str, payload: dict):
    result = analysis_service.analyze(plugin_name, payload)
    if rejected(result):
        raise HTTPException(status_code=400, detail=result["error"])
    return {"result": result, "plugin": plugin_name}
