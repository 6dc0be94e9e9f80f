"""The base class of every file check.

A check owns one or more rules (`rules`), says cheaply whether a file can concern it
(`applies_to`, called for every file: keep it to string and path tests), and yields findings
(`run`). The engine calls `run` inside its own error boundary, so a check never needs to guard
itself against crashing the host tool.
"""

from __future__ import annotations

import abc
from collections.abc import Iterator
from typing import ClassVar

from flake8_phase12.analysis.context import FileContext, Finding
from flake8_phase12.catalog import Rule


class Check(abc.ABC):
    """A file check: finds the findings of its `rules` in one file."""
    rules: ClassVar[tuple[Rule, ...]] = ()

    def applies_to(self, ctx: FileContext) -> bool:  # pylint: disable=unused-argument
        """A cheap gate: path and text tests only, no tree walks. By default every file."""
        return True

    @abc.abstractmethod
    def run(self, ctx: FileContext) -> Iterator[Finding]:
        """Yield the findings of this check's rules in `ctx`."""

    @property
    def name(self) -> str:
        return "/".join(rule.code for rule in self.rules) or type(self).__name__
