"""The Phase 12 error envelope: the shape every execution failure takes.

`error` is safe to show to clients.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def build_error_envelope(exc: BaseException, plugin_name: str) -> dict[str, Any]:
    """The envelope for `exc`, raised while running the plugin `plugin_name`."""
    details = getattr(exc, "details", None)
    return {  # VIOLATION: §4 envelope lacks error.timestamp and _internal.traceback
        "error": {
            "type": type(exc).__name__,
            "message": str(exc) or type(exc).__name__,
            "details": dict(details) if isinstance(details, Mapping) else {},
            "plugin": plugin_name,
        },
    }


def is_error_envelope(value: Any) -> bool:
    """Whether `value` is an envelope built by `build_error_envelope`."""
    return isinstance(value, Mapping) and isinstance(value.get("error"), Mapping) \
        and "type" in value["error"]
