# phase12-path: server/app/plugin_registry.py
"""Metrics under other names than the configured ones (the defaults here): the counters are
recognised by what their names count, and an inverted test or a constant is still found."""
import time


class Tally:
    ok_total: int = 0
    failed_total: int = 0


class PluginRegistry:
    def __init__(self):
        self._tallies: dict[str, Tally] = {}

    def update_execution_metrics(self, plugin_name, *, success, duration_ms):
        tally = self._tallies.get(plugin_name)
        if tally is None:
            return
        if not success:  # expect: GOV507
            tally.ok_total += 1
        else:
            tally.failed_total += 1
        tally.last_ms = duration_ms
        tally.seen_at = time.time()


class BatchRegistry:
    def __init__(self):
        self._tallies: dict[str, Tally] = {}

    def update_execution_metrics(self, plugin_name, *, success, duration_ms):
        tally = self._tallies.get(plugin_name)
        if tally is None:
            return
        if success:
            tally.ok_total = 1  # expect: GOV507
        else:
            tally.failed_total += 1
        tally.last_ms = duration_ms
        tally.seen_at = time.time()
