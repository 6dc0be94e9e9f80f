"""The counter (the analysis layer), written as functions that take the rail first."""

from __future__ import annotations

from kitchen.tickets.rail import TicketRail


def take(rail: TicketRail, dish: str, order: dict) -> dict:
    return rail.post(dish, order)


def take_quick(rail: TicketRail, dish: str, order: dict) -> dict:  # expect: GOV605
    return {"dish": dish, "queued": False, "order": dict(order), "pending": []}


def rush(rail: TicketRail, dish: str, order: dict) -> dict:
    expediter = rail._pass  # expect: GOV606
    return expediter.fire(dish, order)


def specials(rail: TicketRail) -> list[str]:
    return rail._spike.pending()  # expect: GOV609


def ready(rail: TicketRail) -> bool:
    return callable(rail.post) and callable(rail._pass.fire)
