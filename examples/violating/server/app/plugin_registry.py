"""The registry of installed plugins, looked up by name, with their execution metrics.

Phase 12 added the metrics (`update_execution_metrics`, called by the ToolRunner after every
execution) and the SUCCESS and ERROR lifecycle states.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import Enum
from typing import Any

from server.app.plugins.base import BasePlugin
from server.app.plugins.metadata import ImageMetadataPlugin
from server.app.plugins.motion import MotionPlugin
from server.app.plugins.ocr import OcrPlugin


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


class PluginState(str, Enum):
    """Where a plugin is in its lifecycle."""

    REGISTERED = "REGISTERED"
    # Phase 12: the outcome of the latest execution.
    SUCCESS = "SUCCESS"
    ERROR = "ERROR"


class PluginNotFoundError(KeyError):
    """No plugin is registered under the requested name."""

    def __init__(self, plugin_name: str) -> None:
        super().__init__(plugin_name)
        self.plugin_name = plugin_name

    def __str__(self) -> str:
        return f"unknown plugin: {self.plugin_name!r}"


@dataclass
class PluginRecord:
    """A registered plugin and what the registry knows about it."""

    name: str
    plugin: BasePlugin
    version: str
    state: PluginState = PluginState.REGISTERED
    created_at: datetime = field(default_factory=_utcnow)  # VIOLATION: §8 renamed field: registered_at in Phase 11
    # Phase 12 execution metrics.
    success_count: int = 0
    error_count: int = 0
    last_execution_time_ms: float | None = None
    avg_execution_time_ms: float | None = None
    last_used: datetime | None = None

    @property
    def execution_count(self) -> int:
        return self.success_count + self.error_count

    def describe(self) -> dict[str, Any]:  # VIOLATION: §8 the registry description lost Phase 11's registered_at key
        return {
            **self.plugin.describe(verbose=False),
            "state": str(self.state.value if isinstance(self.state, PluginState) else self.state),
            "created_at": self.created_at.isoformat(),
            "success_count": self.success_count,
            "error_count": self.error_count,
            "last_execution_time_ms": self.last_execution_time_ms,
            "avg_execution_time_ms": self.avg_execution_time_ms,
            "last_used": self.last_used.isoformat() if self.last_used else None,
        }


class PluginRegistry:
    """Plugins by name. Safe to share between request threads."""

    def __init__(self) -> None:
        self._records: dict[str, PluginRecord] = {}
        self._lock = threading.RLock()

    def register(self, plugin: BasePlugin) -> PluginRecord:
        name = getattr(plugin, "name", "")
        if not name:
            raise ValueError(f"{type(plugin).__name__} has no name")
        with self._lock:
            if name in self._records:
                raise ValueError(f"a plugin named {name!r} is already registered")
            record = PluginRecord(name=name, plugin=plugin, version=plugin.version)
            self._records[name] = record
            return record

    def unregister(self, name: str) -> None:
        with self._lock:
            if self._records.pop(name, None) is None:
                raise PluginNotFoundError(name)

    def get(self, name: str) -> BasePlugin:
        """The plugin registered as `name`; `PluginNotFoundError` if there is none."""
        return self.record(name).plugin

    def record(self, name: str) -> PluginRecord:
        with self._lock:
            try:
                return self._records[name]
            except KeyError:
                raise PluginNotFoundError(name) from None

    def update_execution_metrics(self, plugin_name: str, *, success: bool, duration_ms: float) -> None:
        """Record one execution of `plugin_name` that took `duration_ms` milliseconds."""
        with self._lock:
            record = self._records.get(plugin_name)
            if record is None:
                return
            if success:
                record.success_count += 1  # VIOLATION: §5 never updates avg_execution_time_ms or last_used
            else:
                record.error_count += 1
            record.last_execution_time_ms = duration_ms
            record.state = "DONE" if success else PluginState.ERROR  # VIOLATION: §5 invalid lifecycle state "DONE" (must be SUCCESS or ERROR)

    def names(self) -> list[str]:
        with self._lock:
            return sorted(self._records)

    def describe_all(self) -> list[dict[str, Any]]:
        with self._lock:
            return [self._records[name].describe() for name in sorted(self._records)]

    def __contains__(self, name: object) -> bool:
        return name in self._records

    def __len__(self) -> int:
        return len(self._records)


def default_registry() -> PluginRegistry:  # VIOLATION: §8 removed public function: build_default_registry (Phase 11) is gone, renamed to this
    """A registry holding every built-in plugin."""
    registry = PluginRegistry()
    for plugin in (ImageMetadataPlugin(), MotionPlugin(), OcrPlugin()):
        registry.register(plugin)
    return registry
