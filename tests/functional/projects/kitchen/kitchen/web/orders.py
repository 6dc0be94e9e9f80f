"""The order routes (the API layer): they take orders at the counter, never further down."""

from __future__ import annotations

from kitchen.wiring import Kitchen


def order(kitchen: Kitchen, dish: str, seats: int) -> dict:
    return kitchen.take(dish, {"bowls": seats})


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
