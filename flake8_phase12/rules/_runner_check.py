"""The shared shape of the checks that reason about each execution function of the runner."""

from __future__ import annotations

import abc
from collections.abc import Iterator

from flake8_phase12.analysis.context import FileContext, Finding
from flake8_phase12.analysis.flow import FlowTooLarge
from flake8_phase12.analysis.runner import FunctionNode, execution_functions
from flake8_phase12.rules import Check


class RunnerFunctionCheck(Check):
    """Runs `check_function` on every execution function of the runner module (the gate of
    the modules whose checks derive from it)."""

    def run(self, ctx: FileContext) -> Iterator[Finding]:
        for function in execution_functions(ctx):
            try:
                yield from self.check_function(ctx, function)
            except FlowTooLarge:
                continue  # too large to analyse soundly: say nothing rather than guess

    @abc.abstractmethod
    def check_function(self, ctx: FileContext, function: FunctionNode) -> Iterator[Finding]:
        """Yield the findings for one execution function."""
