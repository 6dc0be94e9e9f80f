"""The drive-through window, a WebSocket route beside the order routes."""

from __future__ import annotations

from fastapi import APIRouter

from kitchen.wiring import Kitchen

router = APIRouter()


@router.websocket("/window")
async def window(kitchen: Kitchen, dish: str) -> dict:
    return kitchen.cook.cook(dish, {"bowls": 1})  # expect: GOV608


@router.websocket("/window/polite")
async def polite_window(kitchen: Kitchen, dish: str) -> dict:
    return kitchen.take(dish, {"bowls": 1})
