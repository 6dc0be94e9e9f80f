"""The line cook: the one place where a recipe is prepared (the runner)."""

from __future__ import annotations

import time

from kitchen.line.checks import check_order, check_plate, plate_envelope
from kitchen.line.oven import bake
from kitchen.pantry import Pantry


class LineCook:
    def __init__(self, pantry: Pantry) -> None:
        self._pantry = pantry

    def cook(self, dish: str, order: dict) -> dict:
        started = time.perf_counter()
        success = False
        try:
            check_order(order)
            recipe = self._pantry.find(dish)
            plate = check_plate(bake(recipe.prepare, order))
            success = True
            return plate
        except Exception as exc:
            return plate_envelope(exc, dish)
        finally:
            duration_ms = (time.perf_counter() - started) * 1000.0
            self._pantry.record_service(dish, success=success, duration_ms=duration_ms)
