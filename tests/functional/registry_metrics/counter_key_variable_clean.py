# phase12-path: server/app/plugin_registry.py
"""The counter to increment chosen into a variable first, other fields through `dict.update`."""
import time


class PluginRegistry:
    def __init__(self):
        self._plugins = {}
        self._metrics = {}

    def get(self, name):
        return self._plugins[name]

    def update_execution_metrics(self, name, *, success, duration_ms):
        metrics = self._metrics.setdefault(name, {"success_count": 0, "error_count": 0,
                                                  "avg_execution_time_ms": 0.0})
        key = "success_count" if success else "error_count"
        metrics[key] += 1
        runs = metrics["success_count"] + metrics["error_count"]
        metrics.update(
            last_execution_time_ms=duration_ms,
            avg_execution_time_ms=metrics["avg_execution_time_ms"]
            + (duration_ms - metrics["avg_execution_time_ms"]) / runs,
            last_used=time.time(),
            state="SUCCESS" if success else "ERROR",
        )
