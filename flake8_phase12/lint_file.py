"""Runs every file check on one file, with a per-check error boundary.

This is the single entry point the flake8 plugin, the pylint plugin and the `phase12` command
share, so a verdict never depends on the front end. A check that raises becomes one `GOV000`
finding naming the check and the reason; the other checks still run.
"""

from __future__ import annotations

import ast

from flake8_phase12.analysis.check_base import Check
from flake8_phase12.analysis.context import FileContext, Finding
from flake8_phase12.catalog import INTERNAL_ERROR
from flake8_phase12.config.model import Config
from flake8_phase12.rule_index import FILE_CHECK_GATES, module_checks


def check_file(tree: ast.Module, path: str, config: Config, source: str = "",
               checks: tuple[Check, ...] | None = None) -> list[Finding]:
    """All findings for one parsed file, sorted by position. Never raises.

    Without `checks`, only the rules modules whose gate accepts the file are loaded and run
    (see `rule_index.FILE_CHECK_GATES`)."""
    ctx = FileContext(tree=tree, path=path, config=config, source=source)
    try:
        if ctx.is_excluded:
            return []
    # The host tool must never crash.
    except Exception as exc:  # noqa: BLE001  # pylint: disable=broad-exception-caught
        return [internal_error("path matching", exc)]
    findings: list[Finding] = []
    for check in checks if checks is not None else _gated_checks(ctx, findings):
        try:
            if check.applies_to(ctx):
                findings.extend(check.run(ctx))
        # Isolate each check: report GOV000 and go on.
        except Exception as exc:  # noqa: BLE001  # pylint: disable=broad-exception-caught
            findings.append(internal_error(check.name, exc))
    findings.sort(key=lambda finding: (finding.line, finding.col, finding.code))
    return findings


def _gated_checks(ctx: FileContext, findings: list[Finding]) -> list[Check]:
    """The checks of every rules module whose gate accepts this file; a gate or an import that
    fails is one GOV000 in `findings`, and the other modules still run."""
    selected: list[Check] = []
    for name, gate in FILE_CHECK_GATES.items():
        try:
            if gate(ctx):
                selected.extend(module_checks(name))
        # The host tool must never crash.
        except Exception as exc:  # noqa: BLE001  # pylint: disable=broad-exception-caught
            findings.append(internal_error(f"rules module {name}", exc))
    return selected


def internal_error(where: str, exc: BaseException) -> Finding:
    reason = f"{type(exc).__name__}: {exc}".strip().rstrip(":")
    first_line = reason.splitlines()[0] if reason else type(exc).__name__
    return Finding(
        rule=INTERNAL_ERROR,
        line=1,
        col=0,
        message=INTERNAL_ERROR.format_message(rule=where, reason=first_line),
        anchor="<module>",
    )


def configuration_error(exc: BaseException) -> Finding:
    """A broken configuration found for this file: say what and where, on line 1."""
    return Finding(
        rule=INTERNAL_ERROR,
        line=1,
        col=0,
        message=f"{INTERNAL_ERROR.code} configuration error: {exc} "
                f"[Phase 12; fix the configuration; docs: {INTERNAL_ERROR.docs_reference}]",
        anchor="<module>",
    )
