# phase12-path: server/app/lifecycle.py
"""A state machine the registry drives, in a module of its own: a method that receives the
outcome must settle in the state that matches it."""
import enum


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
            return
        self._go(Phase.SUCCESS)  # expect: GOV506

    def conclude(self, failed):
        self.status = Phase.SUCCESS if failed else Phase.ERROR  # expect: GOV506
        return not failed

    def _go(self, target):
        self._phase = target
