"""The audit's result: the checklist filled in with evidence.

Plain frozen records, built once by `flake8_phase12.audit.run_audit` and read by every output
(text, JSON, SARIF, GitHub annotations, the pytest plugin). `to_dict()` is the documented JSON
form (see `flake8_phase12.audit.report_json`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from flake8_phase12.baseline import Fingerprint
from flake8_phase12.catalog import SECTION_TITLES, Rule
from flake8_phase12.rule_index import find_rule

Status = Literal["passed", "failed", "unchecked"]
ContractStatus = Literal["kept", "broken", "error"]


@dataclass(frozen=True)
class AuditFinding:
    """One piece of evidence. `line` is 1-based (0: the finding has no line), `col` 0-based."""

    code: str
    message: str
    # Posix path relative to the project root; '' for a finding about the project as a whole.
    path: str = ""
    line: int = 0
    col: int = 0
    end_line: int | None = None
    end_col: int | None = None
    anchor: str = ""
    # What makes the finding the same finding after unrelated edits (see `flake8_phase12.baseline`):
    # the normalised flagged source, or a stable key for project findings.
    text: str = ""
    # Extra evidence lines: an import chain, the tail of a failing command's output.
    evidence: tuple[str, ...] = ()
    # The checklist item this finding belongs to, when its producer knows better than its code.
    item: str = ""
    # For routing import-contract findings to a service's item: the importing module.
    module: str = ""
    contract: str = ""

    @property
    def rule(self) -> Rule | None:
        return find_rule(self.code)

    @property
    def section(self) -> int:
        return int(self.code[3])

    @property
    def symbol(self) -> str:
        rule = self.rule
        return rule.symbol if rule else ""

    @property
    def location(self) -> str:
        if not self.path:
            return "<project>"
        if not self.line:
            return self.path
        return f"{self.path}:{self.line}:{self.col + 1}"

    @property
    def fingerprint(self) -> Fingerprint:
        return Fingerprint(self.path, self.code, self.anchor, self.text)

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.col, self.code, self.message, self.contract)

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "symbol": self.symbol,
            "section": self.section,
            "message": self.message,
            "path": self.path or None,
            "line": self.line or None,
            "column": self.col + 1 if self.line else None,
            "end_line": self.end_line,
            "end_column": self.end_col + 1 if self.end_col is not None else None,
            "anchor": self.anchor or None,
            "item": self.item or None,
            "contract": self.contract or None,
            "evidence": list(self.evidence),
        }


@dataclass(frozen=True)
class ItemResult:
    """The verdict on one checklist item, with its findings and what verified it."""
    section: int
    title: str
    status: Status
    findings: tuple[AuditFinding, ...] = ()
    # What verifies the item (rule codes, contracts, tests) and, when unchecked, why.
    checks: tuple[str, ...] = ()
    reason: str = ""
    confirms: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {
            "title": self.title,
            "status": self.status,
            "checks": list(self.checks),
            "confirms": list(self.confirms),
            "reason": self.reason or None,
            "findings": [finding.to_dict() for finding in self.findings],
        }


@dataclass(frozen=True)
class ContractResult:
    """One import-linter contract, run by the audit."""

    id: str
    name: str
    type: str
    section: int
    code: str
    status: ContractStatus
    findings: tuple[AuditFinding, ...] = ()
    warnings: tuple[str, ...] = ()
    message: str = ""

    @property
    def slug(self) -> str:
        return slugify(self.id or self.name)

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id or None,
            "name": self.name,
            "type": self.type,
            "section": self.section,
            "code": self.code,
            "status": self.status,
            "message": self.message or None,
            "warnings": list(self.warnings),
            "findings": [finding.to_dict() for finding in self.findings],
        }


@dataclass(frozen=True)
class SectionResult:
    """The verdicts on one checklist section's items and on the contracts that check it."""
    number: int
    items: tuple[ItemResult, ...]
    contracts: tuple[ContractResult, ...] = ()

    @property
    def title(self) -> str:
        return SECTION_TITLES[self.number]

    @property
    def slug(self) -> str:
        return f"section-{self.number}-{slugify(self.title)}"

    @property
    def status(self) -> Status:
        statuses = {item.status for item in self.items}
        if "failed" in statuses or any(c.status != "kept" for c in self.contracts):
            return "failed"
        if "unchecked" in statuses:
            return "unchecked"
        return "passed"

    @property
    def findings(self) -> tuple[AuditFinding, ...]:
        """Every finding of the section's items (contract findings are among them)."""
        return tuple(finding for item in self.items for finding in item.findings)

    @property
    def failed_items(self) -> tuple[ItemResult, ...]:
        return tuple(item for item in self.items if item.status == "failed")

    def to_dict(self) -> dict[str, object]:
        return {
            "number": self.number,
            "title": self.title,
            "status": self.status,
            "items": [item.to_dict() for item in self.items],
            "contracts": [contract.id or contract.name for contract in self.contracts],
        }


@dataclass(frozen=True)
class BaselineSummary:
    """What the baseline accepted in this audit, and its entries no finding matches any more."""
    path: str
    accepted: int
    stale: tuple[tuple[Fingerprint, int], ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "accepted": self.accepted,
            "stale": [fingerprint.to_dict(count) for fingerprint, count in self.stale],
        }


@dataclass(frozen=True)
class AuditResult:
    """The whole audit: the checklist filled in with evidence, section by section."""
    project_root: str
    config_source: str
    target: str
    files_checked: int
    sections: tuple[SectionResult, ...]
    contracts: tuple[ContractResult, ...] = ()
    # Findings outside the checklist: unreadable files (GOV001) and internal errors (GOV000).
    problems: tuple[AuditFinding, ...] = ()
    baseline: BaselineSummary | None = None
    # What kept the audit from checking everything, one line each: a path it could not read, a
    # configuration that keeps a check from running. Any of them makes the verdict "not verified".
    errors: tuple[str, ...] = ()
    # What was not run and why (no import-linter configuration, test command skipped, ...).
    notes: tuple[str, ...] = ()
    strict: bool = True
    # Findings suppressed in the code (`# noqa`, `# pylint: disable`): (code, count), by code.
    suppressed: tuple[tuple[str, int], ...] = ()

    def section(self, number: int) -> SectionResult:
        for section in self.sections:
            if section.number == number:
                return section
        raise KeyError(f"no checklist section {number}; sections are 1-8")

    @property
    def findings(self) -> tuple[AuditFinding, ...]:
        """Every reported finding (after the baseline), in report order."""
        return tuple(sorted((f for s in self.sections for f in s.findings), key=AuditFinding.sort_key)) \
            + self.problems

    @property
    def unchecked_items(self) -> tuple[ItemResult, ...]:
        return tuple(item for s in self.sections for item in s.items if item.status == "unchecked")

    @property
    def failed_items(self) -> tuple[ItemResult, ...]:
        return tuple(item for s in self.sections for item in s.failed_items)

    @property
    def complete(self) -> bool:
        """The checklist's verdict: every item passed (and nothing kept a check from running)."""
        if self.failed_items or self.problems or self.errors:
            return False
        if any(contract.status != "kept" for contract in self.contracts):
            return False
        return not (self.strict and self.unchecked_items)

    @property
    def verified(self) -> bool:
        """Whether the audit could check everything it was asked to (no errors)."""
        return not self.errors

    @property
    def verdict(self) -> str:
        if self.complete:
            return "Phase 12 complete"
        if not self.verified:
            return "Phase 12 NOT VERIFIED: the audit could not check everything"
        if not (self.failed_items or self.problems) and self.unchecked_items:
            return "Phase 12 NOT complete: items could not be verified"
        return "Phase 12 NOT complete"


def slugify(text: str) -> str:
    """`Registry Metrics & Lifecycle` -> `registry-metrics-lifecycle`."""
    words = "".join(ch.lower() if ch.isalnum() else " " for ch in text).split()
    return "-".join(words) or "unnamed"
