"""The plugin catalogue: what can be analysed with."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException

from server.app.api.dependencies import get_analysis_service

router = APIRouter(tags=["plugins"])


@router.post("/v1/plugins")  # VIOLATION: §8 changed HTTP method: GET /v1/plugins in Phase 11
async def list_plugins() -> dict[str, Any]:
    plugins = get_analysis_service().available_plugins()
    return {"plugins": plugins, "count": len(plugins)}


@router.get("/v1/plugin/{name}")  # VIOLATION: §8 changed route path: /v1/plugins/{name} in Phase 11
async def get_plugin(name: str) -> dict[str, Any]:
    for plugin in get_analysis_service().available_plugins():
        if plugin["name"] == name:
            return {"plugin": plugin}
    raise HTTPException(status_code=404, detail=f"unknown plugin: {name!r}")
