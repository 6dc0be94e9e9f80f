"""A poster template."""

from __future__ import annotations

from printshop.templates.base import Template


class Poster(Template):
    name = "poster"

    def render(self, order: dict) -> dict:
        return {"sheets": int(order.get("copies", 1)), "size": "A2"}
