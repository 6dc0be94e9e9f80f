# phase12-path: server/app/plugin_registry.py
"""A counter key variable that never names the error counter, and one that may be anything."""
import time


class PluginRegistry:
    def __init__(self):
        self._plugins = {}
        self._metrics = {}

    def get(self, name):
        return self._plugins[name]

    def update_execution_metrics(self, name, *, success, duration_ms):
        metrics = self._metrics.setdefault(name, {})
        key = "success_count" if success else "failures"
        metrics[key] = metrics.get(key, 0) + 1  # expect: GOV506
        other = name.upper()
        metrics[other] = 1
        metrics.update(last_execution_time_ms=duration_ms, avg_execution_time_ms=duration_ms,
                       last_used=time.time(), state="SUCCESS" if success else "ERROR")
