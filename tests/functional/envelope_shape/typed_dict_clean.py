# phase12-path: server/app/error_envelope.py
"""The envelope built from TypedDict classes of this module: calling one builds a dict."""
import traceback
from datetime import datetime, timezone
from typing import Any, TypedDict


class ErrorBody(TypedDict):
    type: str
    message: str
    details: dict[str, Any]
    plugin: str | None
    timestamp: str


class ErrorEnvelope(TypedDict):
    error: ErrorBody
    _internal: dict[str, str]


def build_error_envelope(exc, plugin_name=None) -> ErrorEnvelope:
    body = ErrorBody(type=type(exc).__name__, message=str(exc), details={}, plugin=plugin_name,
                     timestamp=datetime.now(timezone.utc).isoformat())
    return ErrorEnvelope(error=body, _internal={"traceback": traceback.format_exc()})
