"""Where finished tickets are spiked: a helper of the rail, not a layer."""

from __future__ import annotations


class Spike:
    def __init__(self) -> None:
        self._tickets: list[str] = []

    def hang(self, dish: str) -> None:
        self._tickets.append(dish)

    def pending(self) -> list[str]:
        return list(self._tickets)
