"""A recipe."""

from __future__ import annotations

from kitchen.recipes.base import Recipe


class Soup(Recipe):
    name = "soup"

    def prepare(self, order: dict) -> dict:
        return {"bowls": int(order.get("bowls", 1))}
