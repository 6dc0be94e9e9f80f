"""The envelope of a misprinted job."""

from __future__ import annotations

import traceback
from datetime import datetime, timezone
from typing import Any


def misprint(exc: BaseException, template: str) -> dict[str, Any]:
    return {
        "error": {
            "type": type(exc).__name__,
            "message": str(exc),
            "details": {},
            "plugin": template,
            "timestamp": datetime.now(timezone.utc).isoformat(),
        },
        "_internal": {"traceback": "".join(traceback.format_exception(exc))},
    }
