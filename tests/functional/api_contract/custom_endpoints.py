# phase12-path: src/web/endpoints.py
"""The same contract broken: the default names mean nothing here."""
from fastapi import APIRouter, Depends, HTTPException

from engine.executor import execute_tool  # expect: GOV608
from engine.orchestrator import get_orchestrator

router = APIRouter()


@router.post("/process")
def process(tool: str, payload: dict, service=Depends(get_orchestrator)):
    outcome = service.process(tool, payload)
    if "failure" in outcome:
        raise HTTPException(status_code=400, detail=outcome["failure"])  # expect: GOV701
    if outcome.get("failure"):
        raise HTTPException(status_code=422, detail=outcome["error"])  # expect: GOV702
    return {"result": outcome, "plugin": tool}  # expect: GOV705


@router.post("/process/direct")
def process_direct(tool: str, payload: dict):
    return execute_tool(tool, payload)  # expect: GOV608
