"""The composition root: builds every layer and binds the counter's functions to the rail."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from kitchen.front import counter
from kitchen.line.cook import LineCook
from kitchen.pantry import Pantry
from kitchen.recipes.soup import Soup
from kitchen.stations.expediter import Expediter
from kitchen.tickets.rail import TicketRail


@dataclass(frozen=True)
class Kitchen:
    pantry: Pantry
    cook: LineCook
    rail: TicketRail
    take: Callable[..., dict]

    def close(self) -> list[str]:
        return self.rail.pending()


def build_kitchen() -> Kitchen:
    pantry = Pantry()
    pantry.stock(Soup())
    cook = LineCook(pantry)
    expediter = Expediter(pantry, cook)
    rail = TicketRail(expediter)
    return Kitchen(pantry=pantry, cook=cook, rail=rail, take=functools.partial(counter.take, rail))
