"""The flatbed press: the sync runner, which looks the template up itself."""

from __future__ import annotations

import time

from printshop.catalog import Catalog
from printshop.presses.checks import check_order, check_sheet
from printshop.presses.faults import misprint


class Flatbed:
    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog

    def imprint(self, name: str, order: dict) -> dict:
        started = time.perf_counter()
        success = False
        try:
            check_order(order)
            template = self._catalog.find(name)
            sheet = check_sheet(template.render(order))
            success = True
            return sheet
        except Exception as exc:
            return misprint(exc, name)
        finally:
            duration_ms = (time.perf_counter() - started) * 1000.0
            self._catalog.log_run(name, success=success, duration_ms=duration_ms)
