"""Filters executed outside the engine, in the shapes real code takes."""

import asyncio

from pipeline.helpers import apply_filter
from pipeline.filters import BUILT_IN
from pipeline.filters.blur import Sharpen
from pipeline.library import FilterLibrary


def warm_up(frame: bytes) -> None:
    Sharpen().transform(frame)  # expect: GOV101
    for cls in BUILT_IN:
        cls().transform(frame)  # expect: GOV101


class Studio:
    def __init__(self, library: FilterLibrary) -> None:
        self._library = library

    def preview(self, key: str, frame: bytes) -> bytes:
        chosen = self._library.lookup(key)
        return chosen.transform(frame)  # expect: GOV101

    def preview_all(self, frame: bytes) -> list[bytes]:
        return [each.transform(frame) for each in self._library.everything()]  # expect: GOV101

    async def preview_later(self, key: str, frame: bytes) -> bytes:
        return await asyncio.to_thread(apply_filter, self._library.lookup(key), frame)  # expect: GOV101

    def by_name(self, key: str, frame: bytes, mode: str) -> bytes:
        found = getattr(self._library.lookup(key), "transform")(frame)  # expect: GOV101
        return getattr(self._library.lookup(key), mode)(found)  # expect: GOV101


def deferred(library: FilterLibrary, key: str, frame: bytes):
    from pipeline.helpers import apply_later

    return apply_later(library.lookup(key), frame)  # expect: GOV101
