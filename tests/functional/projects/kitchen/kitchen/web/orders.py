"""The order routes (the API layer): they take orders at the counter, never further down."""

from __future__ import annotations

from kitchen.front import counter
from kitchen.tickets.rail import TicketRail  # expect: GOV608
from kitchen.wiring import Kitchen


def order(kitchen: Kitchen, dish: str, seats: int) -> dict:
    return kitchen.take(dish, {"bowls": seats})


def order_at_the_counter(rail: "TicketRail", dish: str) -> dict:
    return counter.take(rail, dish, {"bowls": 1})


def order_fast(kitchen: Kitchen, dish: str) -> dict:
    return kitchen.rail.post(dish, {"bowls": 1})  # expect: GOV608


def order_twice(kitchen: Kitchen, dish: str) -> list[dict]:
    first = kitchen.rail.post(dish, {"bowls": 1})  # expect: GOV608
    # The same skip again in the same route: one finding, at its first site.
    second = kitchen.rail.post(dish, {"bowls": 2})
    return [first, second]


def closing(kitchen: Kitchen) -> list[str]:
    return kitchen.close()


def can_order(kitchen: Kitchen) -> bool:
    return callable(kitchen.rail.post)


def order_from_state(request, dish: str) -> dict:
    return request.app.state.kitchen.rail.post(dish, {"bowls": 1})  # expect: GOV608


def order_from_state_at_the_counter(request, dish: str) -> dict:
    return request.app.state.kitchen.take(dish, {"bowls": 1})


def order_from_the_spare(request, dish: str) -> dict:
    # `state.spare` is also given an untyped parameter: what it holds is unknown, nothing said.
    return request.app.state.spare.post(dish, {"bowls": 1})
