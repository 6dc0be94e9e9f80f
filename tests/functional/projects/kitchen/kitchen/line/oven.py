"""The oven: a sanctioned executor that only the line cook may use."""

from __future__ import annotations

from collections.abc import Callable


def bake(step: Callable[[dict], dict], order: dict, *, minutes: float = 1.0) -> dict:
    del minutes
    return step(order)


class Salamander:
    """A grill for the finishing touch: a sanctioned executor too, reached as a method."""

    def toast(self, step: Callable[[dict], dict], order: dict) -> dict:
        return step(order)
