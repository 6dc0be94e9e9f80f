# phase12-path: server/app/api/analyze.py
"""Error branches that break the contract."""
from fastapi import APIRouter, HTTPException, status
from fastapi.responses import JSONResponse

from server.app.error_envelope import is_error_envelope
from server.app.services.analysis_service import analysis_service

router = APIRouter()


@router.post("/analyze")
def analyze(plugin_name: str, payload: dict):
    result = analysis_service.analyze(plugin_name, payload)
    if "error" in result:
        raise HTTPException(status_code=500, detail=result["error"])  # expect: GOV701
    return {"result": result, "plugin": plugin_name}


@router.post("/analyze/whole")
def analyze_whole(plugin_name: str, payload: dict):
    result = analysis_service.analyze(plugin_name, payload)
    if result.get("error"):
        raise HTTPException(status_code=400, detail=result)  # expect: GOV702
    return {"result": result, "plugin": plugin_name}


@router.post("/analyze/except")
def analyze_except(plugin_name: str, payload: dict):
    try:
        result = analysis_service.analyze(plugin_name, payload)
    except Exception as exc:
        raise HTTPException(status_code=400, detail=str(exc))  # expect: GOV702
    if "error" in result:
        raise HTTPException(400, result["error"])
    return {"result": result, "plugin": plugin_name}


@router.post("/analyze/returned")
def analyze_returned(plugin_name: str, payload: dict):
    result = analysis_service.analyze(plugin_name, payload)
    if "error" in result:
        return result  # expect: GOV703
    return {"result": result, "plugin": plugin_name}


@router.post("/analyze/json")
async def analyze_json(plugin_name: str, payload: dict):
    result = await analysis_service.analyze(plugin_name, payload)
    if "error" not in result:
        return {"result": result, "plugin": plugin_name}
    return JSONResponse(content=result)  # expect: GOV703


@router.post("/analyze/unprocessable")
def analyze_unprocessable(plugin_name: str, payload: dict):
    result = analysis_service.analyze(plugin_name, payload)
    if "error" in result:
        raise HTTPException(status_code=status.HTTP_422_UNPROCESSABLE_ENTITY, detail=str(result["error"]))  # expect: GOV701, GOV702
    return {"result": result, "plugin": plugin_name}


@router.post("/analyze/partial")
def analyze_partial(plugin_name: str, payload: dict):
    result = analysis_service.analyze(plugin_name, payload)
    if error := result.get("error"):
        raise HTTPException(status_code=400, detail=error["message"])  # expect: GOV702
    return {"result": result, "plugin": plugin_name}


@router.post("/analyze/text")
def analyze_text(plugin_name: str, payload: dict):
    result = analysis_service.analyze(plugin_name, payload)
    if "error" in result:
        raise HTTPException(status_code=400, detail=f"analysis failed: {result['error']}")  # expect: GOV702
    if result.get("error") is not None:
        raise HTTPException(status_code=400)  # expect: GOV702
    return {"result": result, "plugin": plugin_name}


@router.post("/analyze/gone")
def analyze_gone(plugin_name: str, payload: dict):
    result = analysis_service.analyze(plugin_name, payload)
    if "error" in result:
        return JSONResponse(status_code=410, content={"detail": result["error"]})  # expect: GOV701
    if "error" in result:
        return JSONResponse(status_code=status.HTTP_200_OK, content=result["error"])  # expect: GOV703
    return {"result": result, "plugin": plugin_name}


@router.post("/analyze/predicate")
def analyze_predicate(plugin_name: str, payload: dict):
    result = analysis_service.analyze(plugin_name, payload)
    if is_error_envelope(result):
        return result  # expect: GOV703
    return {"result": result, "plugin": plugin_name}
