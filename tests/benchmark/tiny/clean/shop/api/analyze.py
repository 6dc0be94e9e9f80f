"""POST /v1/analyze."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException

from shop.analysis_service import get_analysis_service

router = APIRouter()


@router.post("/v1/analyze")
def analyze(plugin: str, payload: dict[str, Any]) -> dict[str, Any]:
    result = get_analysis_service().analyze(plugin, payload)
    if "error" in result:
        raise HTTPException(status_code=400, detail=result["error"])
    return {"result": result, "plugin": plugin}
