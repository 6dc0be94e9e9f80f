# phase12-path: server/app/api/analyze.py
"""Error checks spelled with an assignment expression and with structural pattern matching."""
from fastapi import APIRouter, HTTPException, status

from server.app.services.analysis_service import analysis_service

router = APIRouter()


@router.post("/analyze/{plugin_name}")
async def analyze(plugin_name: str, payload: dict):
    result = analysis_service.analyze(plugin_name, payload)
    if (error := result.get("error")) is not None:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, error)
    return {"result": result, "plugin": plugin_name}


@router.post("/v2/analyze/{plugin_name}")
async def analyze_matched(plugin_name: str, payload: dict):
    result = analysis_service.analyze(plugin_name, payload)
    match result:
        case {"error": None}:
            return {"result": result, "plugin": plugin_name}
        case {"error": error}:
            raise HTTPException(status_code=400, detail=error)
        case {"status": "error"}:
            return {"result": result, "plugin": plugin_name, "partial": True}
        case _:
            return {"result": result, "plugin": plugin_name}
