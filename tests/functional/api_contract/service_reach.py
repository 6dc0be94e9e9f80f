# phase12-path: server/app/api/analyze.py
"""The service reaches the routes through a provider typed with it, an inline `Annotated`
parameter, a module-level getter of a module-level instance, and a route registered inside the
application factory: all governed."""
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, HTTPException
from fastapi.responses import JSONResponse

from server.app.services.analysis_service import AnalysisService


def current() -> AnalysisService:
    return AnalysisService.shared()


def create_app() -> FastAPI:
    app = FastAPI()

    @app.post("/analyze")
    def analyze(tool: str, body: dict, engine=Depends(current)):
        result = engine.analyze(tool, body)
        if "error" in result:
            raise HTTPException(status_code=502, detail=result["error"])  # expect: GOV701
        return {"result": result, "plugin": tool}

    return app


def register(app: FastAPI) -> None:
    @app.post("/v2/analyze")
    async def analyze_v2(tool: str, body: dict,
                         engine: Annotated[AnalysisService, Depends(current)]):
        result = await engine.analyze(tool, body)
        if result.get("error"):
            raise HTTPException(status_code=400, detail=repr(result["error"]))  # expect: GOV702
        return {"output": result, "plugin": tool}  # expect: GOV705


router = APIRouter()
_engine: AnalysisService | None = None


def engine_or_new():
    global _engine
    if _engine is None:
        _engine = AnalysisService()
    return _engine


@router.post("/v3/analyze")
def analyze_v3(tool: str, body: dict):
    result = engine_or_new().analyze(tool, body)
    if "error" in result:
        return JSONResponse(status_code=200, content=result["error"])  # expect: GOV703
    return {"result": result, "plugin": tool}
