# phase12-path: server/app/api/analyze.py
"""Success responses that break the Phase 11 shape, and results that are never checked."""
from fastapi import APIRouter, HTTPException
from fastapi.responses import JSONResponse

from server.app.services.analysis_service import analysis_service

router = APIRouter()


@router.post("/analyze")
def analyze(plugin_name: str, payload: dict):
    result = analysis_service.analyze(plugin_name, payload)  # expect: GOV704
    return {"result": result, "plugin": plugin_name}


@router.post("/analyze/inline")
async def analyze_inline(plugin_name: str, payload: dict):
    return {"result": await analysis_service.analyze(plugin_name, payload), "plugin": plugin_name}  # expect: GOV704


@router.post("/analyze/renamed")
def analyze_renamed(plugin_name: str, payload: dict):
    result = analysis_service.analyze(plugin_name, payload)
    if "error" in result:
        raise HTTPException(status_code=400, detail=result["error"])
    return {"output": result, "plugin": plugin_name}  # expect: GOV705


@router.post("/analyze/no-plugin")
def analyze_no_plugin(plugin_name: str, payload: dict):
    result = analysis_service.analyze(plugin_name, payload)
    if "error" in result:
        raise HTTPException(status_code=400, detail=result["error"])
    return dict(result=result)  # expect: GOV705


@router.post("/analyze/wrapped")
def analyze_wrapped(plugin_name: str, payload: dict):
    result = analysis_service.analyze(plugin_name, payload)
    if not plugin_name:
        return {"error": "plugin name missing"}  # expect: GOV705
    if "error" in result:
        raise HTTPException(status_code=400, detail=result["error"])
    return JSONResponse(content={"data": result, "plugin": plugin_name})  # expect: GOV705


@router.post("/analyze/spread")
def analyze_spread(plugin_name: str, payload: dict):
    result = analysis_service.analyze(plugin_name, payload)  # expect: GOV704
    return {**result, "plugin": plugin_name}
