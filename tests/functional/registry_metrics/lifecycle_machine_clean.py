# phase12-path: server/app/lifecycle.py
"""A state machine whose outcome methods follow the outcome, and methods that only look like
them: nothing to report."""
import enum
import logging

log = logging.getLogger(__name__)


class Phase(enum.Enum):
    READY = "ready"
    BUSY = "busy"
    SUCCESS = "success"
    ERROR = "error"


class Machine:
    def __init__(self):
        self._phase = Phase.READY
        self._pending = 0

    def enter(self):
        self._pending += 1
        self._go(Phase.BUSY)

    def settle(self, ok: bool):
        self._pending -= 1
        if self._pending:
            return  # overlapping runs: the last one to finish decides
        self._go(Phase.SUCCESS if ok else Phase.ERROR)

    def conclude(self, failed):
        if failed:
            self.status = Phase.ERROR
        else:
            self.status = Phase.SUCCESS

    def crash(self, error):
        # `error` is the exception, not an outcome flag: this method is only called on failure.
        log.warning("run failed: %s", error)
        self._go(Phase.ERROR)

    def recover(self, success_count):
        # A count, not an outcome.
        self._go(Phase.SUCCESS if success_count else Phase.READY)

    def _go(self, target):
        self._phase = target
