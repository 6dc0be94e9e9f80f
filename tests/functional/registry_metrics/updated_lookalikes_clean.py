# phase12-path: server/app/plugin_registry.py
"""Metrics kept in dicts, through helpers, setattr and update(): every field is maintained."""
import time
from dataclasses import replace
from typing import Protocol


class MetricsSink(Protocol):
    def update_execution_metrics(self, plugin_name, *, success, duration_ms): ...


class PluginRegistry:
    def __init__(self):
        self._metrics = {}
        self._records = {}

    def update_execution_metrics(self, plugin_name, *, success, duration_ms):
        entry = self._metrics.setdefault(plugin_name, {"success_count": 0, "error_count": 0})
        if not success:
            entry["error_count"] += 1
            entry.update(state="ERROR")
            self._timing(entry, duration_ms)
            return
        entry["success_count"] = entry.get("success_count", 0) + 1
        entry.update({"state": "SUCCESS"})
        self._timing(entry, duration_ms)

    def _timing(self, entry, duration_ms):
        runs = entry["success_count"] + entry["error_count"]
        entry["avg_execution_time_ms"] = (
            entry.get("avg_execution_time_ms", 0.0) * (runs - 1) + duration_ms) / runs
        setattr(entry, "last_execution_time_ms", duration_ms)
        _touch(entry)


def _touch(entry):
    entry["last_used"] = time.time()


class FrozenRegistry:
    def update_execution_metrics(self, plugin_name, *, success, duration_ms):
        old = self._records[plugin_name]
        self._records[plugin_name] = replace(
            old,
            success_count=old.success_count + (1 if success else 0),
            error_count=old.error_count + (0 if success else 1),
            last_execution_time_ms=duration_ms,
            avg_execution_time_ms=duration_ms,
            last_used=time.time(),
            state="SUCCESS" if success else "ERROR",
        )
