# phase12-path: server/app/floor/foreman.py
"""Plugin management with three runner roles, reaching the press another way as well."""
from server.app.presses.offset import run_offset
from server.app.presses.press import Press


class Foreman:
    def __init__(self, press: Press):
        self._press = press

    def press(self, name, order):
        return self._press.imprint(name, order)

    async def press_async(self, name, order):
        return await self._press.imprint_async(name, order)

    def press_offset(self, name, order):  # expect: GOV601
        return {"plate": name, "order": order, "queued": False}

    def press_raw(self, name, order):
        return self._press.ink(name, order)  # expect: GOV602

    def press_fresh(self, name, order):
        return Press().imprint_async(name, order)  # expect: GOV602

    def press_later(self, name, order):
        return run_offset(name, order)
