"""What a press checks before and after a job."""

from __future__ import annotations

from typing import Any


class Rejected(ValueError):
    """An order or a sheet the press does not accept."""


def check_order(order: Any) -> None:
    if not isinstance(order, dict):
        raise Rejected("an order is a table of options")


def check_sheet(sheet: Any) -> dict:
    if not isinstance(sheet, dict):
        raise Rejected("a sheet is a table of results")
    return sheet
