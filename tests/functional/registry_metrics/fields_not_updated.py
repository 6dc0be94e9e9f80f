# phase12-path: server/app/plugin_registry.py
"""Metrics functions that leave metrics behind or count regardless of the outcome."""
import time


class PluginRegistry:
    def __init__(self):
        self._records = {}

    def update_execution_metrics(self, plugin_name, *, success, duration_ms):
        record = self._records.get(plugin_name)
        if record is None:
            return
        if success:
            record.success_count += 1  # expect: GOV506
        else:
            record.error_count += 1
        record.last_execution_time_ms = duration_ms
        record.avg_execution_time_ms = duration_ms
        record.state = "SUCCESS" if success else "ERROR"


class CountingRegistry:
    def __init__(self):
        self._records = {}

    def update_execution_metrics(self, plugin_name, *, success, duration_ms):
        record = self._records[plugin_name]  # expect: GOV508
        if success:
            record.success_count += 1
        record.error_count += 1  # expect: GOV507
        record.last_execution_time_ms = duration_ms
        record.avg_execution_time_ms = duration_ms
        record.last_used = time.time()
        record.state = "SUCCESS" if success else "FAILED"  # expect: GOV504


def update_execution_metrics(records, plugin_name, success, duration_ms):
    record = records[plugin_name]
    record["success_count"] = record["success_count"] + 1  # expect: GOV507
    if not success:
        record["error_count"] += 1
    record["last_execution_time_ms"] = duration_ms
    record["avg_execution_time_ms"] = duration_ms
    record["last_used"] = time.time()
    record["state"] = "SUCCESS" if success else "ERROR"


class GuardedRegistry:
    def update_execution_metrics(self, plugin_name, *, success, duration_ms):
        record = self._records.get(plugin_name)
        if record is None:
            return
        record.success_count += 1
        record.error_count += 1  # expect: GOV507
        record.last_execution_time_ms = duration_ms
        record.avg_execution_time_ms = duration_ms
        record.last_used = duration_ms
        record.state = "SUCCESS" if success else "ERROR"


class BatchRegistry:
    def update_execution_metrics(self, outcomes, *, duration_ms):
        # Increments in a loop are not paired up: one outcome per iteration is fine.
        for record, success in outcomes:
            if success:
                record.success_count += 1
            else:
                record.error_count += 1
            record.last_execution_time_ms = duration_ms
            record.avg_execution_time_ms = duration_ms
            record.last_used = duration_ms
            record.state = "SUCCESS" if success else "ERROR"
