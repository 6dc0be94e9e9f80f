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


def install(app, rail_for_spares):
    """Puts the kitchen on the application's state, for the routes to read."""
    kitchen = get_kitchen()
    app.state.kitchen = kitchen
    app.state.spare = rail_for_spares


def install_again(app) -> None:
    app.state.spare = get_kitchen().rail
