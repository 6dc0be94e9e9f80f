"""POST /v1/analyze: run one analysis plugin on one image.

POST /v1/analyze/direct: the same without job bookkeeping, for the internal frame pipeline.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field

from server.app.api.dependencies import get_analysis_service
from server.app.error_envelope import is_error_envelope
from server.app.plugin_registry import default_registry
from server.app.services.tool_runner import ToolRunner  # VIOLATION: §6 the API imports ToolRunner (breaks the runner-gateway and execution-chain import contracts)

router = APIRouter(tags=["analysis"])
_direct_registry = default_registry()


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
        raise HTTPException(status_code=500, detail=str(exc)) from exc  # VIOLATION: §7 unstructured 500 with a string detail instead of 400 with error["error"]
    if is_error_envelope(result):
        return result  # VIOLATION: §7 error envelope returned with status 200 instead of HTTPException(status_code=400, detail=error["error"])
    return {"result": result}  # VIOLATION: §7 success response lacks the "plugin" key (Phase 11 shape: {"result", "plugin"})


@router.post("/v1/analyze/direct")
async def analyze_direct(request: AnalyzeRequest) -> dict[str, Any]:
    result = ToolRunner(_direct_registry).run(request.plugin, request.to_payload())  # VIOLATION: §1 the API executes through ToolRunner itself, bypassing AnalysisService -> JobManagementService -> PluginManagementService
    if is_error_envelope(result):
        raise HTTPException(status_code=400, detail=result["error"])
    return {"result": result, "plugin": request.plugin}
