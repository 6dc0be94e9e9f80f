"""POST /v1/analyze (Phase 11)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

router = APIRouter()


@router.post("/v1/analyze")
def analyze(plugin: str, payload: dict[str, Any]) -> dict[str, Any]:
    return {"result": {}, "plugin": plugin}
