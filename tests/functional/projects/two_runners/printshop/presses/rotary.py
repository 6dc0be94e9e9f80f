"""The rotary press: the async runner. It never checks the order and answers a failure with
the bare message."""

from __future__ import annotations

import asyncio
import time

from printshop.catalog import Catalog
from printshop.presses.checks import check_sheet
from printshop.templates.base import Template


async def imprint_async(catalog: Catalog, template: Template, order: dict) -> dict:
    started = time.perf_counter()
    success = False
    try:
        sheet = check_sheet(await asyncio.to_thread(template.render, order))  # expect: GOV201
        success = True
        return sheet
    except Exception as exc:
        return {"error": str(exc)}  # expect: GOV406
    finally:
        duration_ms = (time.perf_counter() - started) * 1000.0
        catalog.log_run(template.name, success=success, duration_ms=duration_ms)
