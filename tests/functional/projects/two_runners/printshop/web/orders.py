"""The order routes (the API layer)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException

from printshop.desk import FrontDesk

router = APIRouter()
desk: FrontDesk | None = None


@router.post("/print/{name}")
async def print_order(name: str, order: dict) -> dict:
    assert desk is not None
    outcome = await desk.quote(name, order)
    if "error" in outcome:
        raise HTTPException(status_code=400, detail=outcome["error"])
    return {"result": outcome, "plugin": name}
