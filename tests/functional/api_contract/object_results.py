# phase12-path: server/app/api/analyze.py
"""An analysis service that answers a verdict object: its `problem` attribute holds the error
envelope, its `payload` the result. The service reaches the routes through a type alias of
this module and through a provider reading the application's state."""
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.responses import JSONResponse

from server.app.domain import Verdict
from server.app.services.analysis_service import AnalysisService, get_analysis_service

router = APIRouter()
Analysis = Annotated[AnalysisService, Depends(get_analysis_service)]


def pick_service(request: Request):
    return request.app.state.analysis_service


@router.post("/inspect")
async def inspect(tool: str, body: dict, analysis: Analysis):
    verdict = await analysis.analyze(tool, body)
    if verdict.problem is not None:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, verdict.problem["error"])  # expect: GOV701
    return {"result": verdict.payload, "plugin": tool}


@router.post("/inspect/whole")
def inspect_whole(tool: str, body: dict, service=Depends(pick_service)):
    verdict = service.analyze(tool, body)
    if verdict.problem:
        raise HTTPException(status_code=400, detail=verdict.problem)  # expect: GOV702
    return {"result": verdict.payload, "plugin": tool}


@router.post("/inspect/printed")
def inspect_printed(tool: str, body: dict, analysis: Analysis):
    verdict = analysis.analyze(tool, body)
    if verdict.problem is not None:  # expect: GOV703
        print("inspection failed", verdict.problem["error"]["message"])
    return {"result": verdict.payload, "plugin": tool}


@router.post("/inspect/json")
def inspect_json(tool: str, body: dict, analysis: Analysis):
    verdict = analysis.analyze(tool, body)
    if verdict.problem is not None:
        return JSONResponse(status_code=400, content=verdict.problem)  # expect: GOV702
    return {"result": verdict.payload, "plugin": tool}


@router.post("/inspect/ticket")
def inspect_ticket(tool: str, body: dict, analysis: Analysis):
    verdict = analysis.analyze(tool, body)
    if verdict.problem is not None:
        raise HTTPException(400, verdict.problem["error"])
    return {"result": {"payload": verdict.payload, "ticket": verdict.ticket}, "plugin": tool}  # expect: GOV705


@router.post("/inspect/bare")
def inspect_bare(tool: str, body: dict, analysis: Analysis):
    verdict = analysis.analyze(tool, body)
    if verdict.problem is not None:
        raise HTTPException(400, verdict.problem["error"])
    return verdict.payload  # expect: GOV705


@router.post("/inspect/matched")
def inspect_matched(tool: str, body: dict, analysis: Analysis):
    verdict = analysis.analyze(tool, body)
    match verdict:
        case Verdict(problem=None):
            return {"result": verdict.payload, "plugin": tool}
        case Verdict(problem=found):
            raise HTTPException(status_code=500, detail=found["error"])  # expect: GOV701


@router.post("/inspect/unchecked")
def inspect_unchecked(tool: str, body: dict, analysis: Analysis):
    verdict = analysis.analyze(tool, body)  # expect: GOV704
    return {"result": verdict.payload, "plugin": tool}
