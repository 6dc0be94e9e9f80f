"""Plugins obtained from annotated calls, under names no pattern recognises."""
from returns_app import catalog
from returns_app.catalog import Catalog


class Jobs:
    def __init__(self, entries: Catalog):
        self._entries = entries

    def submit(self, name, payload):
        chosen = self._entries.get(name)
        first = chosen.run(payload)  # [direct-plugin-execution]  # expect: GOV101
        second = self._entries.lookup(name).run(payload)  # [direct-plugin-execution]  # expect: GOV101
        third = catalog.newest().run(payload)  # [direct-plugin-execution]  # expect: GOV101
        return first, second, third

    def render(self, name):
        # `report()` is annotated with a class that is not a plugin.
        return self._entries.report(name).run()
