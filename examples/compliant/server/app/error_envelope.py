"""The Phase 12 error envelope: the one shape every execution failure takes.

    {
        "error": {"type": ..., "message": ..., "details": {...}, "plugin": ..., "timestamp": ...},
        "_internal": {"traceback": ...},
    }

`error` is safe to show to clients; `_internal` is for logs only and never leaves the server.
"""

from __future__ import annotations

import traceback
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

ERROR_FIELDS = ("type", "message", "details", "plugin", "timestamp")


def build_error_envelope(exc: BaseException, plugin_name: str) -> dict[str, Any]:
    """The envelope for `exc`, raised while running the plugin `plugin_name`."""
    details = getattr(exc, "details", None)
    return {
        "error": {
            "type": type(exc).__name__,
            "message": str(exc) or type(exc).__name__,
            "details": dict(details) if isinstance(details, Mapping) else {},
            "plugin": plugin_name,
            "timestamp": datetime.now(timezone.utc).isoformat(),
        },
        "_internal": {
            "traceback": "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)),
        },
    }


def is_error_envelope(value: Any) -> bool:
    """Whether `value` is an envelope built by `build_error_envelope`."""
    if not isinstance(value, Mapping) or set(value) != {"error", "_internal"}:
        return False
    error = value["error"]
    return isinstance(error, Mapping) and all(name in error for name in ERROR_FIELDS)
