# phase12-path: server/app/error_envelope.py
"""The envelope built by key assignment, locals, dict() calls, update() and setdefault()."""
import traceback
from datetime import datetime, timezone


def _now():
    return datetime.now(timezone.utc).isoformat()


def build_error_envelope(exc, plugin_name, details=None):
    error = dict(type=type(exc).__name__, message=str(exc))
    envelope = {"error": error}
    envelope["error"]["details"] = details or {}
    error.update(plugin=plugin_name)
    error["timestamp"] = _now()
    envelope.setdefault("_internal", {})["traceback"] = traceback.format_exc()
    return envelope
