"""Providers for the routes: the kitchen is built here (wiring the layers is not using them)."""

from __future__ import annotations

from kitchen.line.cook import LineCook
from kitchen.pantry import Pantry
from kitchen.wiring import Kitchen, build_kitchen

KITCHENS: list[Kitchen] = []


def get_kitchen() -> Kitchen:
    if not KITCHENS:
        KITCHENS.append(build_kitchen())
    return KITCHENS[0]


def spare_cook(pantry: Pantry) -> LineCook:
    return LineCook(pantry)
