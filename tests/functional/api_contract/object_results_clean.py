# phase12-path: server/app/api/analyze.py
"""A verdict object handled as the checklist asks; the batch, ticket and listing routes call
other methods of the service and keep their own Phase 11 contracts (errors inline, 404s)."""
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Response, status

from server.app.domain import Verdict
from server.app.services.analysis_service import AnalysisService, get_analysis_service

router = APIRouter()
Analysis = Annotated[AnalysisService, Depends(get_analysis_service)]


def refuse(problem) -> None:
    """400 with the envelope's error object."""
    if problem is None:
        return
    raise HTTPException(status_code=status.HTTP_400_BAD_REQUEST, detail=problem["error"])


@router.post("/inspect")
async def inspect(tool: str, body: dict, analysis: Analysis, response: Response):
    verdict = await analysis.analyze(tool, body)
    headers = {"X-Ticket": verdict.ticket} if verdict.ticket else None
    if verdict.problem is not None:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, detail=verdict.problem["error"],
                            headers=headers)
    response.headers["X-Ticket"] = verdict.ticket or ""
    return {"result": verdict.payload, "plugin": tool}


@router.post("/inspect/helper")
def inspect_helper(tool: str, body: dict, analysis: Analysis):
    verdict = analysis.analyze(tool, body)
    refuse(verdict.problem)
    return {"result": verdict.payload, "plugin": tool, "ticket": verdict.ticket}


@router.post("/inspect/matched")
def inspect_matched(tool: str, body: dict, analysis: Analysis):
    verdict = analysis.analyze(tool, body)
    match verdict:
        case Verdict(problem=None):
            return {"result": verdict.payload, "plugin": tool}
        case Verdict(problem=found):
            raise HTTPException(status_code=400, detail=found["error"])


@router.post("/inspect/batch")
def inspect_batch(items: list[dict], analysis: Analysis):
    verdicts = analysis.analyze_batch(items)
    rows = []
    for item, verdict in zip(items, verdicts):
        if verdict.problem is not None:
            rows.append({"problem": verdict.problem["error"], "plugin": item["tool"]})
        else:
            rows.append({"result": verdict.payload, "plugin": item["tool"]})
    return {"items": rows}


@router.get("/tickets/{ticket}")
def ticket_status(ticket: str, analysis: Analysis):
    found = analysis.ticket(ticket)
    if found is None:
        raise HTTPException(status_code=404, detail=f"unknown ticket {ticket}")
    return found
