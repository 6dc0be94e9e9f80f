"""Plugins by name, with their execution metrics."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from enum import Enum

from shop.plugins import BasePlugin, EchoPlugin, VersionPlugin


class PluginState(str, Enum):
    REGISTERED = "REGISTERED"
    SUCCESS = "SUCCESS"
    ERROR = "ERROR"


@dataclass
class PluginRecord:
    plugin: BasePlugin
    state: PluginState = PluginState.REGISTERED
    success_count: int = 0
    error_count: int = 0
    last_execution_time_ms: float = 0.0
    avg_execution_time_ms: float = 0.0
    last_used: datetime | None = None


class PluginRegistry:
    def __init__(self) -> None:
        self._records = {plugin.name: PluginRecord(plugin) for plugin in (EchoPlugin(), VersionPlugin())}

    def get(self, name: str) -> BasePlugin:
        return self._records[name].plugin

    def update_execution_metrics(self, name: str, *, success: bool, duration_ms: float) -> None:
        record = self._records.get(name)
        if record is None:
            return
        if success:
            record.success_count += 1
        else:
            record.error_count += 1
        runs = record.success_count + record.error_count
        record.avg_execution_time_ms += (duration_ms - record.avg_execution_time_ms) / runs
        record.last_execution_time_ms = duration_ms
        record.last_used = datetime.now(timezone.utc)
        record.state = PluginState.SUCCESS if success else PluginState.ERROR
