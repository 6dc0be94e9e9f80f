"""Runs every file check on one file, with a per-check error boundary.

This is what the flake8 plugin, the pylint plugin and the `phase12` command share, so a verdict
never depends on the front end: `check_file` (flake8, `phase12`), or its two halves
`concerned_checks` and `run_checks` (pylint, which chooses the checks before it parses the file).
A check that raises becomes one `GOV000` finding naming the check and the reason; the other
checks still run.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from flake8_phase12.analysis.context import FileContext, Finding
from flake8_phase12.catalog import INTERNAL_ERROR
from flake8_phase12.config.model import Config
from flake8_phase12.rule_index import module_checks
from flake8_phase12.rules import FILE_CHECK_GATES, Check


def check_file(tree: ast.Module, path: str, config: Config, source: str = "",
               checks: tuple[Check, ...] | None = None) -> list[Finding]:
    """All findings for one parsed file, sorted by position. Never raises.

    Runs the checks that concern the file (`concerned_checks`): among `checks` if given, else
    among every rules module's, loading only the modules whose gate accepts the file."""
    ctx = FileContext(tree=tree, path=path, config=config, source=source)
    try:
        if ctx.is_excluded:
            return []
    # The host tool must never crash.
    except Exception as exc:  # noqa: BLE001  # pylint: disable=broad-exception-caught
        return [internal_error("path matching", exc)]
    findings: list[Finding] = []
    return run_checks(ctx, concerned_checks(ctx, findings, checks), findings)


def concerned_checks(ctx: FileContext, findings: list[Finding],
                     checks: tuple[Check, ...] | None = None) -> list[Check]:
    """The checks that concern this file (`Check.concerns`), from its path and text alone (the
    pylint plugin decides on them before it parses the file). Without `checks`, a rules module
    is imported only when its gate (`rules.FILE_CHECK_GATES`) accepts the file. A gate, an
    import or a narrowing that fails is one GOV000 in `findings`, and the other checks still
    run."""
    if checks is not None:
        return [check for check in checks if _holds(check.concerns, ctx, check.name, findings)]
    selected: list[Check] = []
    for name, gate in FILE_CHECK_GATES.items():
        try:
            if not gate(ctx):
                continue
            module = module_checks(name)
        # The host tool must never crash.
        except Exception as exc:  # noqa: BLE001  # pylint: disable=broad-exception-caught
            findings.append(internal_error(f"rules module {name}", exc))
            continue
        # The gate has just accepted the file: each check's own narrowing decides.
        selected.extend(check for check in module
                        if _holds(check.within_role, ctx, check.name, findings))
    return selected


def run_checks(ctx: FileContext, checks: list[Check], findings: list[Finding]) -> list[Finding]:
    """`findings` plus those of each check, each in its own error boundary, sorted."""
    for check in checks:
        try:
            findings.extend(check.run(ctx))
        # Isolate each check: report GOV000 and go on.
        except Exception as exc:  # noqa: BLE001  # pylint: disable=broad-exception-caught
            findings.append(internal_error(check.name, exc))
    findings.sort(key=lambda finding: (finding.line, finding.col, finding.code))
    return findings


def _holds(test: Callable[[FileContext], bool], ctx: FileContext, where: str,
           findings: list[Finding]) -> bool:
    try:
        return test(ctx)
    # The host tool must never crash.
    except Exception as exc:  # noqa: BLE001  # pylint: disable=broad-exception-caught
        findings.append(internal_error(where, exc))
        return False


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
