# phase12-path: server/app/api/analyze.py
"""Routes that hold the service but call none of its entry methods are not the analyze
endpoint; a WebSocket route answers errors in its frames, not with an HTTP status."""
from fastapi import APIRouter, Depends, HTTPException, WebSocket

from server.app.services.analysis_service import AnalysisService, get_analysis_service

router = APIRouter()


@router.get("/plugins/{name}")
def describe(name: str, engine: AnalysisService = Depends(get_analysis_service)):
    card = engine.describe(name)
    if card is None or "error" in card:
        raise HTTPException(status_code=404, detail={"missing": name})
    return card


@router.get("/jobs")
def jobs(engine: AnalysisService = Depends(get_analysis_service)):
    return engine.recent_jobs()


@router.websocket("/stream")
async def stream(socket: WebSocket):
    engine = get_analysis_service()
    await socket.accept()
    frame = await socket.receive_json()
    result = engine.analyze(frame["tool"], frame)
    if "error" in result:
        await socket.send_json({"error": result["error"]})
        return
    await socket.send_json(result)
