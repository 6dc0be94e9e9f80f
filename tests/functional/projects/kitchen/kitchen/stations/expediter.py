"""The expediter fires dishes to the line cook (plugin management)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kitchen.line.cook import LineCook
from kitchen.pantry import Pantry

if TYPE_CHECKING:
    from kitchen.tickets.rail import TicketRail


class Expediter:
    def __init__(self, pantry: Pantry, cook: LineCook | None = None) -> None:
        self._pantry = pantry
        # A default cook built here keeps the old constructor working: still the next layer.
        self._line = cook if cook is not None else LineCook(pantry)

    def fire(self, dish: str, order: dict) -> dict:
        return self._line.cook(dish, order)

    def fire_plated(self, dish: str, order: dict) -> dict:
        return self._line._plate(dish, order)  # expect: GOV602

    def done(self, rail: TicketRail, dish: str) -> None:
        rail.clear(dish)  # expect: GOV607

    def menu(self) -> list[str]:
        return sorted(self._pantry._shelves)
