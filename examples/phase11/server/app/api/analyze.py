"""POST /v1/analyze: run one analysis plugin on one image."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field

from server.app.api.dependencies import get_analysis_service

router = APIRouter(tags=["analysis"])


class AnalyzeRequest(BaseModel):
    plugin: str = Field(min_length=1, description="Name of the plugin to run, e.g. 'ocr'.")
    image: str = Field(description="The image, base64-encoded.")
    mime_type: str = Field(description="MIME type of the image, e.g. 'image/png'.")
    options: dict[str, Any] = Field(default_factory=dict, description="Plugin options.")

    def to_payload(self) -> dict[str, Any]:
        return {"image": self.image, "mime_type": self.mime_type, "options": dict(self.options)}


@router.post("/v1/analyze")
async def analyze(request: AnalyzeRequest) -> dict[str, Any]:
    plugin_name = request.plugin
    try:
        result = get_analysis_service().analyze(plugin_name, request.to_payload())
    except Exception as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from exc
    return {"result": result, "plugin": plugin_name}
