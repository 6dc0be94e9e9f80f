"""The rules: one module per rule or small family, each with its documentation beside its logic.

Each module defines `RULES` (the `Rule` records it owns, see `flake8_phase12.catalog`) and, for
file rules, `CHECKS` (the `Check` classes that find them, defined below).

Which files a module's checks concern is declared once, here: `FILE_CHECK_GATES` gives each
module with `CHECKS` its gate, the role a file plays (`analysis.roles`), decided from the file's
module path and text alone. Both front ends use it through `Check.concerns`: flake8's per-file
path (`lint_file`) imports a rules module only for a file its gate accepts, since flake8 runs
afresh for every editor keystroke and a plain module must not pay for the runner's analyses; the
pylint plugin selects its checks the same way. A check may narrow its module's role further
(`Check.within_role`) with cheap text tests, never widen it.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterator
from typing import ClassVar

from flake8_phase12.analysis import roles
from flake8_phase12.analysis.context import FileContext, Finding
from flake8_phase12.catalog import Rule

Gate = Callable[[FileContext], bool]

# Every rules module that defines `CHECKS`, with the role of the files its checks concern.
FILE_CHECK_GATES: dict[str, Gate] = {
    "api_contract": roles.is_api_module,
    "delegation_chain": roles.may_concern_the_chain,
    "direct_execution": roles.may_execute_plugins_directly,
    "envelope_shape": roles.is_envelope_or_runner_module,
    "exception_escape": roles.is_runner_module,
    "input_validation": roles.is_runner_module,
    "metrics": roles.is_runner_module,
    "output_validation": roles.is_runner_module,
    "registry_metrics": roles.may_keep_registry_metrics,
    "sanctioned_executors": roles.may_call_a_sanctioned_executor,
    "service_errors": roles.is_service_module,
}


def every_file(ctx: FileContext) -> bool:  # pylint: disable=unused-argument
    """The gate of a check defined outside the rules modules (a test's): every file."""
    return True


class Check(abc.ABC):
    """A file check: finds the findings of its `rules` in one file (`run`).

    Its `gate` is its rules module's entry in `FILE_CHECK_GATES`, bound when the class is
    defined; `concerns` adds the check's own narrowing. The engine calls `run` only where
    `concerns` holds, inside its own error boundary, so a check never needs to guard itself
    against crashing the host tool.
    """
    rules: ClassVar[tuple[Rule, ...]] = ()
    gate: ClassVar[Gate] = staticmethod(every_file)

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        package, _, module = cls.__module__.rpartition(".")
        if package == __name__ and module in FILE_CHECK_GATES:
            cls.gate = staticmethod(FILE_CHECK_GATES[module])

    def concerns(self, ctx: FileContext) -> bool:
        """Whether this check can find anything in the file: its module's role, narrowed."""
        return self.gate(ctx) and self.within_role(ctx)

    def within_role(self, ctx: FileContext) -> bool:  # pylint: disable=unused-argument
        """Among the files its gate accepts, those this check concerns: cheap path and text
        tests only, no tree walks (called for every such file). By default all of them."""
        return True

    @abc.abstractmethod
    def run(self, ctx: FileContext) -> Iterator[Finding]:
        """Yield the findings of this check's rules in `ctx`."""

    @property
    def name(self) -> str:
        return "/".join(rule.code for rule in self.rules) or type(self).__name__
