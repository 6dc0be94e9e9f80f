# phase12-path: src/web/endpoints.py
"""A codebase whose contract is status 422, error key `failure`, keys `output` and `tool`."""
from fastapi import APIRouter, Depends, HTTPException

from engine.orchestrator import Orchestrator, get_orchestrator

router = APIRouter()


@router.post("/process")
def process(tool: str, payload: dict, orchestrator: Orchestrator = Depends(get_orchestrator)):
    outcome = orchestrator.process(tool, payload)
    if "failure" in outcome:
        raise HTTPException(status_code=422, detail=outcome["failure"])
    return {"output": outcome, "tool": tool}
