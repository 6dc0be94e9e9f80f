# phase12-path: server/app/api/analyze.py
"""An analysis service that answers a `(report, problem)` pair: the routes show which element
is the error envelope (they look its `error` key up, and put the other one under `result`)."""
import logging
from http import HTTPStatus

from fastapi import APIRouter, HTTPException, status
from fastapi.responses import JSONResponse

from server.app.services.analysis_service import analysis_service

logger = logging.getLogger("api")
router = APIRouter()


@router.post("/scan")
async def scan(tool: str, body: dict):
    report, problem = await analysis_service.analyze(tool, body)
    if problem is not None:
        raise HTTPException(int(HTTPStatus.INTERNAL_SERVER_ERROR), problem["error"])  # expect: GOV701
    return {"result": report, "plugin": tool}


@router.post("/scan/conflict")
def scan_conflict(tool: str, body: dict):
    report, problem = analysis_service.analyze(tool, body)
    if problem:
        raise HTTPException(status_code=HTTPStatus.CONFLICT.value, detail=problem["error"])  # expect: GOV701
    return {"result": report, "plugin": tool}


@router.post("/scan/envelope")
def scan_envelope(tool: str, body: dict):
    report, problem = analysis_service.analyze(tool, body)
    if problem is not None:
        raise HTTPException(status_code=status.HTTP_400_BAD_REQUEST, detail=problem)  # expect: GOV702
    return {"result": report, "plugin": tool}


@router.post("/scan/message")
def scan_message(tool: str, body: dict):
    report, problem = analysis_service.analyze(tool, body)
    if problem is not None:
        raise HTTPException(400, detail=problem["error"].get("message"))  # expect: GOV702
    return {"result": report, "plugin": tool}


@router.post("/scan/summary")
def scan_summary(tool: str, body: dict):
    report, problem = analysis_service.analyze(tool, body)
    if problem is not None:
        summary = {"kind": problem["error"]["type"]}
        raise HTTPException(400, detail=summary)  # expect: GOV702
    if not report:
        return {"result": None, "plugin": tool}
    return {"result": report, "plugin": tool}


@router.post("/scan/handmade")
def scan_handmade(tool: str, body: dict):
    report, problem = analysis_service.analyze(tool, body)
    if problem is not None:
        raise HTTPException(400, detail={"kind": problem["error"]["type"], "tool": tool})  # expect: GOV702
    return {"result": report, "plugin": tool}


@router.post("/scan/quiet")
def scan_quiet(tool: str, body: dict):
    report, problem = analysis_service.analyze(tool, body)
    if problem:  # expect: GOV703
        logger.error("scan with %s failed: %s", tool, problem["error"]["type"])
    return {"result": report, "plugin": tool}


@router.post("/scan/json")
def scan_json(tool: str, body: dict):
    report, problem = analysis_service.analyze(tool, body)
    if problem is not None:
        return JSONResponse({"problem": problem["error"]}, status_code=400)  # expect: GOV702
    return {"result": report, "plugin": tool}


@router.post("/scan/raw")
def scan_raw(tool: str, body: dict):
    report, problem = analysis_service.analyze(tool, body)
    if problem is not None:
        raise HTTPException(400, detail=problem["error"])
    return report  # expect: GOV705


@router.post("/scan/boxed")
def scan_boxed(tool: str, body: dict):
    report, problem = analysis_service.analyze(tool, body)
    if problem is not None:
        raise HTTPException(400, detail=problem["error"])
    return {"result": {"data": report, "version": 2}, "plugin": tool}  # expect: GOV705


@router.post("/scan/unchecked")
def scan_unchecked(tool: str, body: dict):
    report, problem = analysis_service.analyze(tool, body)  # expect: GOV704
    return {"result": report, "plugin": tool, "problem": problem and problem["error"]}


def remember(problem) -> None:
    logger.info("problem seen: %s", problem)


@router.post("/scan/remembered")
def scan_remembered(tool: str, body: dict):
    report, problem = analysis_service.analyze(tool, body)  # expect: GOV704
    remember(problem)
    return {"result": report, "plugin": tool}
