"""The result of a compatibility check: `BreakingChange` records and their text and JSON forms."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from flake8_phase12.catalog import Rule
from flake8_phase12.compat.diff import Change

REPORT_FORMAT_VERSION = 1


@dataclass(frozen=True)
class BreakingChange:
    """One breaking change of the Phase 11 surface.

    `file` and `line` point into the working tree where the object still exists (a changed
    signature, a renamed name's new definition), else into the Phase 11 tree (a removal).
    `old` and `new` are short descriptions of both sides (a signature, a route, key sets).
    """

    rule: Rule
    kind: str
    object_path: str
    file: str
    line: int
    old: str
    new: str
    message: str

    @property
    def code(self) -> str:
        return self.rule.code

    @property
    def symbol(self) -> str:
        return self.rule.symbol

    @classmethod
    def from_change(cls, change: Change) -> BreakingChange:
        return cls(rule=change.rule, kind=change.kind, object_path=change.path, file=change.file,
                   line=change.line, old=change.old, new=change.new, message=change.message())

    def full_message(self) -> str:
        """The message with code, section and docs pointer, as every other GOV diagnostic."""
        return f"{self.code} {self.message} [Phase 12 §{self.rule.section}; docs: {self.rule.docs_reference}]"

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "symbol": self.symbol,
            "kind": self.kind,
            "object_path": self.object_path,
            "file": self.file,
            "line": self.line,
            "old": self.old,
            "new": self.new,
            "message": self.message,
        }


@dataclass
class CompatReport:
    """All breaking changes from `against` to the working tree at `project_root`."""

    against: str
    project_root: str
    changes: list[BreakingChange] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.changes

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for change in self.changes:
            counts[change.code] = counts.get(change.code, 0) + 1
        return dict(sorted(counts.items()))

    def to_dict(self) -> dict[str, Any]:
        return {
            "format_version": REPORT_FORMAT_VERSION,
            "against": self.against,
            "project_root": self.project_root,
            "ok": self.ok,
            "counts": self.counts(),
            "changes": [change.to_dict() for change in self.changes],
            "warnings": list(self.warnings),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2)

    def to_text(self) -> str:
        lines: list[str] = []
        for change in self.changes:
            lines.append(f"{change.file}:{change.line}: {change.full_message()}")
            if change.old or change.new:
                lines.append(f"    Phase 11: {change.old or '-'}")
                lines.append(f"    now:      {change.new or '(gone)'}")
        for warning in self.warnings:
            lines.append(f"warning: {warning}")
        if self.changes:
            summary = ", ".join(f"{count} {code}" for code, count in self.counts().items())
            noun = "change" if len(self.changes) == 1 else "changes"
            lines.append(f"{len(self.changes)} breaking {noun} against {self.against} ({summary})")
        else:
            lines.append(f"no breaking changes against {self.against}")
        return "\n".join(lines)
