# phase12-path: server/app/api/plugins.py
"""Routes outside the analyze module have their own contracts: other shapes, other codes."""
from fastapi import APIRouter, HTTPException

from server.app.services.analysis_service import analysis_service

router = APIRouter()


@router.get("/plugins/{name}")
def describe_plugin(name: str):
    summary = analysis_service.describe(name)
    if "error" in summary:
        raise HTTPException(status_code=404, detail=str(summary))
    return {"name": name, "summary": summary}
