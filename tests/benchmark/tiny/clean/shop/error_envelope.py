"""The structured error every failure becomes."""

from __future__ import annotations

import traceback
from datetime import datetime, timezone
from typing import Any


def build_error_envelope(exc: BaseException, plugin_name: str) -> dict[str, Any]:
    return {
        "error": {
            "type": type(exc).__name__,
            "message": str(exc),
            "details": {},
            "plugin": plugin_name,
            "timestamp": datetime.now(timezone.utc).isoformat(),
        },
        "_internal": {"traceback": "".join(traceback.format_exception(exc))},
    }
