"""`kitchen`: order a dish from the command line, through the same counter."""

from __future__ import annotations

import asyncio
import json
import subprocess

from kitchen.wiring import build_kitchen


class Cookbook:
    def cook(self, dish: str, order: dict) -> dict:
        return {"dish": dish, "order": order}


def main(dish: str) -> int:
    kitchen = build_kitchen()
    print(json.dumps(kitchen.take(dish, {"bowls": 1})))
    print(Cookbook().cook(dish, {}))
    subprocess.run(["true"], check=False)
    return 0


def main_fast(dish: str) -> int:
    kitchen = build_kitchen()
    print(kitchen.cook.cook(dish, {"bowls": 1}))  # expect: GOV609
    return 0


def main_ticket(dish: str) -> int:
    kitchen = build_kitchen()
    print(kitchen.rail.post(dish, {"bowls": 1}))  # expect: GOV609
    return 0


async def serve_one(dish: str) -> dict:
    return build_kitchen().take(dish, {"bowls": 1})


def serve(dish: str) -> dict:
    # `run` is the line cook's method name too: asyncio's is not the chain.
    return asyncio.run(serve_one(dish))
