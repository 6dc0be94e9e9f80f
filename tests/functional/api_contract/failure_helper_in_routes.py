# phase12-path: server/app/api/analyze.py
"""Helpers of the route module that the governed routes hand the result or the error to: they
are the routes' error branches, judged where they are written."""
from fastapi import APIRouter, HTTPException

from server.app.services.analysis_service import analysis_service

router = APIRouter()


def answer(result: dict, tool: str) -> dict:
    if "error" in result:
        raise HTTPException(status_code=500, detail=result["error"])  # expect: GOV701
    return {"result": result, "plugin": tool}


def reject(problem) -> None:
    if problem:
        raise HTTPException(status_code=400, detail=str(problem["error"]))  # expect: GOV702


@router.post("/analyze")
def analyze(tool: str, body: dict):
    return answer(analysis_service.analyze(tool, body), tool)


@router.post("/analyze/checked")
def analyze_checked(tool: str, body: dict):
    result = analysis_service.analyze(tool, body)
    if "error" in result:
        reject(result)
    return {"result": result, "plugin": tool}


def upstream_failed(reply: dict) -> None:
    if "error" in reply:
        raise HTTPException(status_code=502, detail=reply["error"])
