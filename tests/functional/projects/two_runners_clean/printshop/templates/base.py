"""Templates are the plugins: the shop renders them only on a press."""

from __future__ import annotations


class Template:
    name = "template"

    def render(self, order: dict) -> dict:
        raise NotImplementedError
