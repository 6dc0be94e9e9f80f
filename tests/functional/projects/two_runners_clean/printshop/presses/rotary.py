"""The rotary press: the async runner, a function given the template the foreman resolved."""

from __future__ import annotations

import asyncio
import time

from printshop.catalog import Catalog
from printshop.presses.checks import check_order, check_sheet
from printshop.presses.faults import misprint
from printshop.templates.base import Template


async def imprint_async(catalog: Catalog, template: Template, order: dict) -> dict:
    started = time.perf_counter()
    success = False
    try:
        check_order(order)
        sheet = check_sheet(await asyncio.to_thread(template.render, order))
        success = True
        return sheet
    except Exception as exc:
        return misprint(exc, template.name)
    finally:
        duration_ms = (time.perf_counter() - started) * 1000.0
        catalog.log_run(template.name, success=success, duration_ms=duration_ms)
