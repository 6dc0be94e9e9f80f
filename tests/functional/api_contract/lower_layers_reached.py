# phase12-path: server/app/api/analyze.py
"""Routes that reach below the analysis service without importing anything: through the
application's state, and through the service's private attributes. One finding per route."""
from fastapi import APIRouter, Request

from server.app.services.analysis_service import analysis_service

router = APIRouter()


@router.post("/queue")
def enqueue(tool: str, body: dict, request: Request):
    ticket = request.app.state.job_manager.submit_job(tool, body)  # expect: GOV608
    request.app.state.job_manager.submit_job(tool, {"retry": True, **body})
    return {"result": ticket, "plugin": tool}


@router.post("/queue/held")
async def enqueue_held(tool: str, body: dict, request: Request):
    plugins = request.app.state.services.plugins
    return await plugins.execute_plugin(tool, body)  # expect: GOV608


@router.post("/through")
def through(tool: str, body: dict):
    return analysis_service._pipeline.schedule(tool, body)  # expect: GOV608
