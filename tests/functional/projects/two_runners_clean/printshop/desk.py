"""The front desk takes print orders (the analysis service)."""

from __future__ import annotations

from printshop.queue import PrintQueue


class FrontDesk:
    def __init__(self, queue: PrintQueue) -> None:
        self._queue = queue

    async def quote(self, name: str, order: dict, *, rush: bool = False) -> dict:
        if rush:
            return await self._queue.enqueue_async(name, order)
        return self._queue.enqueue(name, order)
