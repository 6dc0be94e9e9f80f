# phase12-path: server/app/floor/foreman.py
"""Plugin management calling each of three runner roles: every call is delegation."""
from server.app.presses.offset import run_offset
from server.app.presses.press import Press


class Foreman:
    def __init__(self, press: Press):
        self._press = press

    def press(self, name, order):
        return self._press.imprint(name, order)

    async def press_async(self, name, order):
        return await self._press.imprint_async(name, order)

    def press_offset(self, name, order):
        return run_offset(name, order)
