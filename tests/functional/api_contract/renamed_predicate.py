# phase12-path: server/app/api/analyze.py
"""An error predicate with a name of its own: recognised by what it returns, a test of the
error key on its argument."""
from fastapi import APIRouter, HTTPException

from server.app.services.analysis_service import analysis_service

router = APIRouter()


def failed(outcome: dict) -> bool:
    return isinstance(outcome, dict) and "error" in outcome


@router.post("/analyze")
def analyze(plugin_name: str, payload: dict):
    result = analysis_service.analyze(plugin_name, payload)
    if failed(result):
        return result  # expect: GOV703
    return {"result": result, "plugin": plugin_name}


def rejected(outcome: dict) -> bool:
    if not isinstance(outcome, dict):
        return False
    return bool(outcome.get("error"))


def has_result(outcome: dict) -> bool:
    return "result" in outcome


@router.post("/analyze/strict")
def analyze_strict(plugin_name: str, payload: dict):
    result = analysis_service.analyze(plugin_name, payload)
    if rejected(result):
        return {"result": result, "plugin": plugin_name}  # expect: GOV703
    if has_result(result):
        return {"result": result, "plugin": plugin_name}
    raise HTTPException(status_code=400, detail=result["error"])
