"""The flatbed press: the sync runner. It hands the sheet back unchecked and records the run
only when the job succeeds."""

from __future__ import annotations

import time

from printshop.catalog import Catalog
from printshop.presses.checks import check_order
from printshop.presses.faults import misprint


class Flatbed:
    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog

    def imprint(self, name: str, order: dict) -> dict:
        started = time.perf_counter()
        try:
            check_order(order)
            template = self._catalog.find(name)
            sheet = template.render(order)  # expect: GOV301
            duration_ms = (time.perf_counter() - started) * 1000.0
            self._catalog.log_run(name, success=True, duration_ms=duration_ms)  # expect: GOV502
            return sheet
        except Exception as exc:
            return misprint(exc, name)
