# phase12-path: server/app/plugin_registry.py
"""Bookkeeping that does not follow the outcome, read through record helpers, enums and
context managers."""
import contextlib
import enum
import time


class Result(enum.Enum):
    OK = "ok"
    FAILED = "failed"


class RowState(enum.Enum):
    IDLE = "idle"
    SUCCESS = "success"
    ERROR = "error"


class Row:
    success_count: int = 0
    error_count: int = 0
    state: RowState = RowState.IDLE

    def bump_good(self):
        self.success_count += 1
        self.state = RowState.SUCCESS

    def bump_bad(self):
        self.error_count += 1
        self.state = RowState.ERROR


class Ticket:
    ok: bool = False


def _stamp(row, elapsed):
    row.last_execution_time_ms = elapsed
    row.avg_execution_time_ms = elapsed
    row.last_used = time.time()


class InvertedBook:
    def __init__(self):
        self._rows: dict[str, Row] = {}

    def update_execution_metrics(self, plugin_name, *, outcome, elapsed):
        row = self._rows.get(plugin_name)
        if row is None:
            return
        if outcome is Result.FAILED:  # expect: GOV507
            row.bump_good()
        else:
            row.bump_bad()
        _stamp(row, elapsed)


class StuckBook:
    def __init__(self):
        self._rows: dict[str, Row] = {}

    def update_execution_metrics(self, plugin_name, *, success, elapsed):
        row = self._rows.get(plugin_name)
        if row is None:
            return
        if success:
            row.success_count = 1  # expect: GOV507
        else:
            row.error_count += 1
        row.state = RowState.SUCCESS if success else RowState.ERROR
        _stamp(row, elapsed)


class DebouncedBook:
    def __init__(self):
        self._rows: dict[str, Row] = {}

    def update_execution_metrics(self, plugin_name, *, success, elapsed):
        row = self._rows.get(plugin_name)
        if row is None or (not success and row.state is RowState.ERROR):
            return  # expect: GOV506
        if success:
            row.bump_good()
        else:
            row.bump_bad()
        _stamp(row, elapsed)


class PartialBook:
    def __init__(self):
        self._rows: dict[str, Row] = {}

    def update_execution_metrics(self, plugin_name, *, success, elapsed):
        row = self._rows.get(plugin_name)
        if row is None:
            return
        if success:
            row.bump_good()
            row.last_used = time.time()  # expect: GOV506
        else:
            row.bump_bad()
        row.last_execution_time_ms = elapsed
        row.avg_execution_time_ms = elapsed


class StickyStateBook:
    def __init__(self):
        self._rows: dict[str, Row] = {}

    def update_execution_metrics(self, plugin_name, *, success, elapsed):
        row = self._rows.get(plugin_name)
        if row is None:
            return
        if success:
            row.success_count += 1
        else:
            row.error_count += 1
        row.state = RowState.SUCCESS if row.success_count else RowState.ERROR  # expect: GOV506
        _stamp(row, elapsed)


class HappyStateBook:
    def __init__(self):
        self._rows: dict[str, Row] = {}

    def update_execution_metrics(self, plugin_name, *, success, elapsed):
        row = self._rows.get(plugin_name)
        if row is None:
            return
        if success:
            row.success_count += 1
        else:
            row.error_count += 1
        row.state = RowState.SUCCESS  # expect: GOV506
        _stamp(row, elapsed)


class StrictBook:
    def __init__(self):
        self._rows: dict[str, Row] = {}

    def update_execution_metrics(self, plugin_name, *, success, elapsed):
        row = self._rows[plugin_name]  # expect: GOV508
        if success:
            row.bump_good()
        else:
            row.bump_bad()
        _stamp(row, elapsed)


class TrackingBook:
    def __init__(self):
        self._rows: dict[str, Row] = {}

    @contextlib.contextmanager
    def update_execution_metrics(self, plugin_name):
        ticket = Ticket()
        started = time.monotonic()
        yield ticket
        self._settle(plugin_name, time.monotonic() - started, ok=ticket.ok)  # expect: GOV502

    def _settle(self, plugin_name, elapsed, *, ok):
        row = self._rows.get(plugin_name)
        if row is None:
            return
        if ok:
            row.bump_good()
        else:
            row.bump_bad()
        _stamp(row, elapsed)


class BlindTrackingBook:
    def __init__(self):
        self._rows: dict[str, Row] = {}

    @contextlib.asynccontextmanager
    async def update_execution_metrics(self, plugin_name):
        ticket = Ticket()
        started = time.monotonic()
        try:
            yield ticket
        finally:
            self._settle(plugin_name, time.monotonic() - started, ok=True)  # expect: GOV509

    def _settle(self, plugin_name, elapsed, *, ok):
        row = self._rows.get(plugin_name)
        if row is None:
            return
        if ok:
            row.bump_good()
        else:
            row.bump_bad()
        _stamp(row, elapsed)


class DelegatingBook:
    def __init__(self):
        self._rows: dict[str, Row] = {}

    def update_execution_metrics(self, plugin_name, *, success, elapsed):
        self._apply(plugin_name, success, elapsed)

    def _apply(self, plugin_name, success, elapsed):
        row = self._rows[plugin_name]  # expect: GOV508
        if success:
            row.bump_good()
        else:
            row.bump_bad()
        _stamp(row, elapsed)
