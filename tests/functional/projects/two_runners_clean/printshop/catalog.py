"""The registry of templates, with the run statistics the presses record after every job."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timezone

from printshop.templates.base import Template


@dataclass
class Entry:
    template: Template
    state: str = "REGISTERED"
    success_count: int = 0
    error_count: int = 0
    last_execution_time_ms: float | None = None
    avg_execution_time_ms: float | None = None
    last_used: datetime | None = None


class Catalog:
    def __init__(self) -> None:
        self._entries: dict[str, Entry] = {}
        self._lock = threading.Lock()

    def add(self, template: Template) -> None:
        with self._lock:
            self._entries[template.name] = Entry(template)

    def find(self, name: str) -> Template:
        with self._lock:
            return self._entries[name].template

    def log_run(self, name: str, *, success: bool, duration_ms: float) -> None:
        with self._lock:
            entry = self._entries.get(name)
            if entry is None:
                return
            if success:
                entry.success_count += 1
            else:
                entry.error_count += 1
            runs = entry.success_count + entry.error_count
            previous = entry.avg_execution_time_ms or 0.0
            entry.avg_execution_time_ms = previous + (duration_ms - previous) / runs
            entry.last_execution_time_ms = duration_ms
            entry.last_used = datetime.now(timezone.utc)
            entry.state = "SUCCESS" if success else "ERROR"
