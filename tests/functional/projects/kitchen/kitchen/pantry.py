"""The registry of recipes, with the service statistics the line records after every dish."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timezone

from kitchen.recipes.base import Recipe


@dataclass
class Shelf:
    recipe: Recipe
    state: str = "REGISTERED"
    success_count: int = 0
    error_count: int = 0
    last_execution_time_ms: float | None = None
    avg_execution_time_ms: float | None = None
    last_used: datetime | None = None


class Pantry:
    def __init__(self) -> None:
        self._shelves: dict[str, Shelf] = {}
        self._lock = threading.Lock()

    def stock(self, recipe: Recipe) -> None:
        with self._lock:
            self._shelves[recipe.name] = Shelf(recipe)

    def find(self, dish: str) -> Recipe:
        with self._lock:
            return self._shelves[dish].recipe

    def record_service(self, dish: str, *, success: bool, duration_ms: float) -> None:
        with self._lock:
            shelf = self._shelves.get(dish)
            if shelf is None:
                return
            if success:
                shelf.success_count += 1
            else:
                shelf.error_count += 1
            served = shelf.success_count + shelf.error_count
            previous = shelf.avg_execution_time_ms or 0.0
            shelf.avg_execution_time_ms = previous + (duration_ms - previous) / served
            shelf.last_execution_time_ms = duration_ms
            shelf.last_used = datetime.now(timezone.utc)
            shelf.state = "SUCCESS" if success else "ERROR"
