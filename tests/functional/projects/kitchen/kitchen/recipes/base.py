"""Recipes are the plugins: the kitchen prepares them only on the line."""

from __future__ import annotations


class Recipe:
    name = "recipe"

    def prepare(self, order: dict) -> dict:
        raise NotImplementedError
