# phase12-path: server/app/api/analyze.py
"""The checklist's analyze endpoint, in several equivalent spellings.

Docs may say that `return result` in the error branch, or HTTPException(status_code=500,
detail=str(exc)), is wrong: text is not code.
"""
from http import HTTPStatus

from fastapi import APIRouter, Depends, HTTPException, status
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from server.app.error_envelope import is_error_envelope
from server.app.services.analysis_service import AnalysisService, get_analysis_service

router = APIRouter()
analysis_service = get_analysis_service()
ERROR_STATUS = 400


@router.post("/analyze")
def analyze(plugin_name: str, payload: dict):
    result = analysis_service.analyze(plugin_name, payload)
    if "error" in result:
        raise HTTPException(status_code=400, detail=result["error"])
    return {"result": result, "plugin": plugin_name}


@router.post("/v2/analyze")
async def analyze_v2(plugin_name: str, payload: dict,
                     service: AnalysisService = Depends(get_analysis_service)):
    outcome = await service.analyze(plugin_name, payload)
    error = outcome.get("error")
    if error is not None:
        raise StarletteHTTPException(status_code=status.HTTP_400_BAD_REQUEST, detail=error)
    return {"result": outcome, "plugin": plugin_name, "duration_ms": 3}


@router.post("/v3/analyze")
def analyze_v3(plugin_name: str, payload: dict):
    result = get_analysis_service().analyze(plugin_name, payload)
    if "error" not in result:
        return JSONResponse(content={"result": result, "plugin": plugin_name, "version": 3})
    raise HTTPException(HTTPStatus.BAD_REQUEST, result["error"])


@router.post("/v4/analyze")
def analyze_v4(plugin_name: str, payload: dict):
    result = analysis_service.analyze(plugin_name, payload)
    if isinstance(result, dict) and result.get("error"):
        raise HTTPException(status_code=ERROR_STATUS, detail=result.get("error")) from None
    response = {"result": result, "plugin": plugin_name}
    return response


@router.post("/v5/analyze")
def analyze_v5(plugin_name: str, payload: dict):
    result = analysis_service.analyze(plugin_name, payload)
    if "error" in result:
        return JSONResponse(status_code=400, content={"detail": result["error"]})
    return dict(result=result, plugin=plugin_name)


@router.post("/v6/analyze")
def analyze_v6(plugin_name: str, payload: dict):
    return present(analysis_service.analyze(plugin_name, payload), plugin_name)


@router.post("/v7/analyze")
def analyze_v7(plugin_name: str, payload: dict):
    result = analysis_service.analyze(plugin_name, payload)
    if "error" in result:
        raise HTTPException(status_code=400, detail=result["error"])
    return {**result, "plugin": plugin_name}


@router.post("/v8/analyze")
def analyze_v8(plugin_name: str, payload: dict):
    result = analysis_service.analyze(plugin_name, payload)
    if is_error_envelope(result):
        raise HTTPException(status_code=400, detail=result["error"])
    return {"result": result, "plugin": plugin_name}


def present(result: dict, plugin_name: str) -> dict:
    if "error" in result:
        raise HTTPException(status_code=400, detail=result["error"])
    return {"result": result, "plugin": plugin_name}


@router.get("/health")
def health():
    return {"status": "ok"}


@router.get("/plugins")
def list_plugins():
    if not analysis_names():
        raise HTTPException(status_code=404, detail="no plugins")
    return ["ocr", "thumbnail"]


def analysis_names():
    return ["ocr"]
