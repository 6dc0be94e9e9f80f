# phase12-path: src/shop/engine/press.py
"""The press is the sandbox's one allowed caller."""
import asyncio

from shop.sandbox.jail import confine


class Press:
    def press(self, step, args):
        return confine(step, args, seconds=2.0)

    async def press_later(self, step, args):
        return await asyncio.to_thread(confine, step, args)
