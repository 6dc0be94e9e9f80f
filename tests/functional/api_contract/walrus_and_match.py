# phase12-path: server/app/api/analyze.py
"""Error branches spelled with an assignment expression and with structural pattern matching
are judged like `if "error" in result:`."""
from fastapi import APIRouter, HTTPException, status
from fastapi.responses import JSONResponse

from server.app.services.analysis_service import analysis_service

router = APIRouter()


@router.post("/analyze/{plugin_name}")
async def analyze(plugin_name: str, payload: dict):
    result = analysis_service.analyze(plugin_name, payload)
    if (error := result.get("error")) is not None:
        return JSONResponse(status_code=status.HTTP_200_OK, content={"error": error})  # expect: GOV703
    return {"result": result, "plugin": plugin_name}


@router.post("/v2/analyze/{plugin_name}")
async def analyze_matched(plugin_name: str, payload: dict):
    result = analysis_service.analyze(plugin_name, payload)
    match result:
        case {"error": error}:
            raise HTTPException(status_code=400, detail="plugin failed")  # expect: GOV702
        case _:
            return {"result": result, "plugin": plugin_name}


@router.post("/v3/analyze/{plugin_name}")
async def analyze_matched_wrong_status(plugin_name: str, payload: dict):
    result = analysis_service.analyze(plugin_name, payload)
    match result:
        case {"error": error, **rest}:
            raise HTTPException(status_code=500, detail=error)  # expect: GOV701
        case _:
            return {"result": result, "plugin": plugin_name}
