"""What the line checks before and after a dish, and the envelope of a failed one."""

from __future__ import annotations

import traceback
from datetime import datetime, timezone
from typing import Any


class Refused(ValueError):
    """An order or a plate the line does not accept."""


def check_order(order: Any) -> None:
    if not isinstance(order, dict):
        raise Refused("an order is a table of options")


def check_plate(plate: Any) -> dict:
    if not isinstance(plate, dict):
        raise Refused("a plate is a table of results")
    return plate


def plate_envelope(exc: BaseException, dish: str) -> dict[str, Any]:
    return {
        "error": {
            "type": type(exc).__name__,
            "message": str(exc),
            "details": {},
            "plugin": dish,
            "timestamp": datetime.now(timezone.utc).isoformat(),
        },
        "_internal": {"traceback": "".join(traceback.format_exception(exc))},
    }
