# phase12-path: server/app/plugin_registry.py
"""A registry whose metrics go by other names than the configured ones (here the defaults,
`success_count`, `error_count`, ...): none of those names appears in the module, and the
metrics function keeps counters of its own, so the configuration, not the code, is off. The
rule says nothing about names it cannot find; `metrics.*` should name these fields."""
import time


class Tally:
    wins: int = 0
    losses: int = 0
    last_ms: float = 0.0
    mean_ms: float = 0.0
    seen_at: float = 0.0
    state: str = "SUCCESS"


class PluginRegistry:
    def __init__(self):
        self._tallies: dict[str, Tally] = {}

    def update_execution_metrics(self, plugin_name, *, success, duration_ms):
        tally = self._tallies.get(plugin_name)
        if tally is None:
            return
        if success:
            tally.wins += 1
        else:
            tally.losses += 1
        tally.last_ms = duration_ms
        tally.mean_ms = duration_ms
        tally.seen_at = time.time()
        tally.state = "SUCCESS" if success else "ERROR"
