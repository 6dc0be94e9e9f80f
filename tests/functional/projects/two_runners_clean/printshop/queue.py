"""The print queue keeps every job and hands it to the foreman (job management)."""

from __future__ import annotations

from printshop.floor.foreman import Foreman


class PrintQueue:
    def __init__(self, foreman: Foreman) -> None:
        self._foreman = foreman
        self._jobs: list[str] = []

    def enqueue(self, name: str, order: dict) -> dict:
        self._jobs.append(name)
        return self._foreman.press(name, order)

    async def enqueue_async(self, name: str, order: dict) -> dict:
        self._jobs.append(name)
        return await self._foreman.press_async(name, order)
