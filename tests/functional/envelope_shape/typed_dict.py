# phase12-path: server/app/error_envelope.py
"""A TypedDict envelope without the plugin; a class that is not a TypedDict is not judged."""
import traceback
from datetime import datetime, timezone
from typing import Any, TypedDict

from server.app.models import ExternalEnvelope


class ErrorBody(TypedDict, total=False):
    type: str
    message: str
    details: dict[str, Any]
    plugin: str | None
    timestamp: str


def build_error_envelope(exc, plugin_name=None):
    body = ErrorBody(type=type(exc).__name__, message=str(exc), details={},
                     timestamp=datetime.now(timezone.utc).isoformat())
    return {"error": body, "_internal": {"traceback": traceback.format_exc()}}  # expect: GOV408


class Builder:
    def build_error_envelope(self, exc, plugin_name=None):
        return ExternalEnvelope(error={"type": type(exc).__name__})
