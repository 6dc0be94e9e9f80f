"""Section 8 through `flake8_phase12.compat`: breaking changes of the Phase 11 surface as findings."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flake8_phase12.audit.model import AuditFinding
from flake8_phase12.config.loader import ConfigError
from flake8_phase12.config.model import Config

CHECKLIST_ITEM = "No Phase 11 code modified in a breaking way"


@dataclass(frozen=True)
class CompatOutcome:
    """The Phase 11 compatibility check's findings, or why it could not run."""
    ran: bool
    findings: tuple[AuditFinding, ...] = ()
    error: str = ""
    notes: tuple[str, ...] = ()


def run_compat(project_root: Path, config: Config, against: str | None = None) -> CompatOutcome:
    reference = against if against is not None else config.compat.against
    if not reference:
        return CompatOutcome(False, notes=(
            "Phase 11 compatibility not checked: set [tool.phase12.compat] against to a git ref, "
            "a directory or a `phase12 snapshot` file",))
    from flake8_phase12.compat import check_compat

    try:
        # A file that does not parse is GOV001 in the audit, not a reason to skip section 8.
        report = check_compat(project_root, config, against=reference, skip_unparsable=True)
    except ConfigError as exc:
        return CompatOutcome(False, error=f"[tool.phase12.compat] against = {reference!r}: {exc}")
    findings = tuple(
        AuditFinding(code=change.code, message=change.full_message(), path=change.file,
                     line=change.line or 0, anchor=change.object_path,
                     text=f"{change.kind} {change.object_path}",
                     evidence=_evidence(change.old, change.new), item=CHECKLIST_ITEM)
        for change in report.changes)
    notes = tuple(f"compat: {warning}" for warning in report.warnings)
    return CompatOutcome(True, findings,
                         notes=(f"Phase 11 compatibility checked against {reference}", *notes))


def _evidence(old: str, new: str) -> tuple[str, ...]:
    if not (old or new):
        return ()
    return (f"Phase 11: {old or '-'}", f"now:      {new or '(gone)'}")
