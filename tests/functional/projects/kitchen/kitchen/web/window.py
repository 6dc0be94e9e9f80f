"""The drive-through window, a second way in beside the order routes."""

from __future__ import annotations

from kitchen.stations.expediter import Expediter
from kitchen.wiring import Kitchen


def drive_through(kitchen: Kitchen, dish: str) -> dict:
    return kitchen.cook.cook(dish, {"bowls": 1})  # expect: GOV608


def drive_through_politely(kitchen: Kitchen, dish: str) -> dict:
    return kitchen.take(dish, {"bowls": 1})


def station_of(expediter: Expediter) -> Expediter:
    return expediter
