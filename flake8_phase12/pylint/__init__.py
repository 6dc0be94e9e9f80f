"""The pylint plugin: `pylint --load-plugins=flake8_phase12.pylint`.

Every GOV file rule of the catalog becomes a pylint message (symbol from the catalog, id
`W77<section><n>`), computed by the same engine as the flake8 plugin from the same
`[tool.phase12]` configuration; GOV101 additionally recognises plugins by inferred type. See
`flake8_phase12.pylint.checker`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flake8_phase12.pylint.checker import Phase12Checker

if TYPE_CHECKING:
    from pylint.lint import PyLinter

__all__ = ["Phase12Checker", "register"]


def register(linter: PyLinter) -> None:
    linter.register_checker(Phase12Checker(linter))
