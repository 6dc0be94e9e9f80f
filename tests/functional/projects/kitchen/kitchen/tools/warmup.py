"""Warming the line before service: the oven is the line cook's alone."""

from __future__ import annotations

import asyncio

from kitchen.line import oven
from kitchen.line.oven import Salamander
from kitchen.line.oven import bake as quick_bake
from kitchen.recipes.base import Recipe


def preheat(order: dict) -> dict:
    return oven.bake(dict, order)  # expect: GOV102


async def preheat_later(order: dict) -> dict:
    return await asyncio.to_thread(quick_bake, dict, order)  # expect: GOV102


def hand_over(recipe: Recipe, order: dict) -> dict:
    return quick_bake(recipe, order)  # expect: GOV102


def glaze(grill: Salamander, order: dict) -> dict:
    return grill.toast(dict, order)  # expect: GOV102


def describe() -> str:
    return f"{quick_bake.__name__} ready: {callable(quick_bake)}"
