"""The foreman sends each job to a press (plugin management)."""

from __future__ import annotations

from printshop.catalog import Catalog
from printshop.presses.flatbed import Flatbed
from printshop.presses.rotary import imprint_async


class Foreman:
    def __init__(self, catalog: Catalog, flatbed: Flatbed) -> None:
        self._catalog = catalog
        self._flatbed = flatbed

    def press(self, name: str, order: dict) -> dict:
        return self._flatbed.imprint(name, order)

    async def press_async(self, name: str, order: dict) -> dict:
        template = self._catalog.find(name)
        return await imprint_async(self._catalog, template, order)
