# phase12-path: server/app/error_envelope.py
"""Built step by step, through a local and a helper of the same module; two fields forgotten."""
from datetime import datetime, timezone


def _error_part(exc, plugin_name):
    error = {"type": type(exc).__name__, "message": str(exc)}
    error["plugin"] = plugin_name
    return error


def _assemble(exc, plugin_name):
    envelope = {}
    envelope["error"] = _error_part(exc, plugin_name)
    envelope["_internal"] = dict(traceback=None)
    return envelope


def build_error_envelope(exc, plugin_name):
    if plugin_name is None:
        return _assemble(exc, "unknown")  # expect: GOV408
    error = {"type": type(exc).__name__, "message": str(exc), "plugin": plugin_name}
    error["timestamp"] = datetime.now(timezone.utc).isoformat()
    return {"error": error, "_internal": {"traceback": None}}  # expect: GOV408
