# phase12-path: server/app/plugin_registry.py
"""Bookkeeping that follows the outcome, in the forms real registries take: nothing to report."""
import collections
import contextlib
import enum
import time

from server.app.lifecycle import Lifecycle


class Result(enum.Enum):
    OK = "ok"
    FAILED = "failed"


class Samples:
    """Durations in a ring buffer; the timing metrics are computed from it."""

    def __init__(self):
        self.durations = collections.deque(maxlen=32)
        self.success_count = 0
        self.error_count = 0
        self.last_used = None

    def add(self, elapsed, good):
        self.durations.append(elapsed)
        if good:
            self.success_count += 1
        else:
            self.error_count += 1
        self.last_used = time.time()

    @property
    def last_execution_time_ms(self):
        return self.durations[-1] if self.durations else None

    @property
    def avg_execution_time_ms(self):
        return sum(self.durations) / len(self.durations) if self.durations else None


class Slot:
    samples: Samples
    lifecycle: Lifecycle

    def mark_ok(self):
        self.samples.success_count += 1

    def mark_failed(self):
        self.samples.error_count += 1


class RingBook:
    """Counters and samples on a helper object; the state on a lifecycle from another module."""

    def __init__(self):
        self._slots: dict[str, Slot] = {}

    def update_execution_metrics(self, plugin_name, *, success, elapsed):
        slot = self._slots.get(plugin_name)
        if slot is None:
            return  # an unknown plugin (a failed lookup): nothing to record
        slot.samples.add(elapsed, success)
        slot.lifecycle.settle(success)


class MatchBook:
    def __init__(self):
        self._slots: dict[str, Slot] = {}

    def update_execution_metrics(self, plugin_name, *, outcome, elapsed):
        if plugin_name not in self._slots:
            return
        slot = self._slots[plugin_name]
        match outcome:
            case Result.OK:
                slot.mark_ok()
            case _:
                slot.mark_failed()
        slot.samples.durations.append(elapsed)
        slot.samples.last_used = time.time()
        slot.lifecycle.settle(outcome is Result.OK)


class GuardedBook:
    def __init__(self):
        self._slots = {}
        self._hits = collections.defaultdict(int)

    def update_execution_metrics(self, plugin_name, *, success, elapsed):
        self._hits[plugin_name] += 1
        try:
            slot = self._slots[plugin_name]
        except KeyError:
            return
        if not success:
            slot.samples.error_count += 1
            slot.samples.durations.append(elapsed)
            slot.samples.last_used = time.time()
            slot.lifecycle.settle(False)
            return
        slot.samples.success_count += 1
        slot.samples.durations.append(elapsed)
        slot.samples.last_used = time.time()
        slot.lifecycle.settle(True)


class Ticket:
    ok: bool = False


class TrackingBook:
    def __init__(self):
        self._slots: dict[str, Slot] = {}

    @contextlib.asynccontextmanager
    async def update_execution_metrics(self, plugin_name):
        ticket = Ticket()
        started = time.monotonic()
        try:
            yield ticket
        finally:
            self._settle(plugin_name, time.monotonic() - started, ok=ticket.ok)

    def _settle(self, plugin_name, elapsed, *, ok):
        slot = self._slots.get(plugin_name)
        if slot is None:
            return
        slot.samples.add(elapsed, ok)
        slot.lifecycle.settle(ok)


class CheckedBook:
    """The helper's lookup is safe: the metrics function returns first for unknown names."""

    def __init__(self):
        self._slots: dict[str, Slot] = {}

    def update_execution_metrics(self, plugin_name, *, success, elapsed):
        if plugin_name not in self._slots:
            return
        self._apply(plugin_name, success, elapsed)

    def _apply(self, plugin_name, success, elapsed):
        slot = self._slots[plugin_name]
        slot.samples.add(elapsed, success)
        slot.lifecycle.settle(success)
