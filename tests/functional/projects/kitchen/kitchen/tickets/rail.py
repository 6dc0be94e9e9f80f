"""The ticket rail keeps every order as a ticket and fires it (job management)."""

from __future__ import annotations

from kitchen.stations.expediter import Expediter
from kitchen.tickets.spike import Spike


class TicketRail:
    def __init__(self, expediter: Expediter, spike: Spike | None = None) -> None:
        self._pass = expediter
        self._spike = spike or Spike()

    def post(self, dish: str, order: dict) -> dict:
        self._spike.hang(dish)
        return self._pass.fire(dish, order)

    def post_direct(self, dish: str, order: dict) -> dict:
        self._spike.hang(dish)
        return self._pass._line.cook(dish, order)  # expect: GOV604

    def restock(self, dish: str) -> str:
        return self._pass._pantry.find(dish).name  # expect: GOV609

    def clear(self, dish: str) -> None:
        self._spike.hang(f"done: {dish}")

    def pending(self) -> list[str]:
        return self._spike.pending()
