"""Whether a mutant was detected, per tool, and the false positives of a compliant tree.

A mutant is detected by a tool when the tool reports, on the mutated tree, a finding the
compliant tree lacks (the same code, file and message, positions aside) whose checklist section
is the mutant's own or one of its `also_sections`, and which lies in the mutated file. Findings
about the project as a whole (import contracts, Phase 11 compatibility, required tests) count
wherever they point. The audit must also have withdrawn its verdict: a mutant whose audit
still says "complete" is undetected by the audit, whatever it printed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from detection.corpora import Lookalike, Mutant
from detection.tools import PROJECT_SCOPED_CODES, Observed, ToolRun


@dataclass
class MutantResult:
    mutant: Mutant
    in_scope: bool
    detected: dict[str, bool] = field(default_factory=dict)
    # New findings per tool, whatever their section: what a reader of a miss wants to see.
    new: dict[str, list[Observed]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def detected_by(self, tools: tuple[str, ...]) -> bool:
        return any(self.detected.get(tool, False) for tool in tools)


def relevant(finding: Observed, tool: str, mutated_file: str) -> bool:
    """Whether a finding can stand for this mutant: in the mutated file, or project-level."""
    if tool == "lint-imports":
        return True
    if finding.path == mutated_file:
        return True
    return tool == "audit" and (not finding.path or finding.code in PROJECT_SCOPED_CODES)


def new_findings(clean: ToolRun, mutated: ToolRun, tool: str, mutated_file: str) -> list[Observed]:
    """Findings of the mutated tree that the compliant tree lacks (as a multiset)."""
    before = Counter(finding.key for finding in clean.findings)
    fresh: list[Observed] = []
    for finding in mutated.findings:
        if not relevant(finding, tool, mutated_file):
            continue
        if before[finding.key] > 0:
            before[finding.key] -= 1
            continue
        fresh.append(finding)
    return fresh


def score(mutant: Mutant, in_scope: bool, clean: dict[str, ToolRun],
          mutated: dict[str, ToolRun]) -> MutantResult:
    result = MutantResult(mutant, in_scope)
    for tool, run in mutated.items():
        if run.error:
            result.errors[tool] = run.error
        fresh = new_findings(clean[tool], run, tool, mutant.file)
        result.new[tool] = fresh
        hit = any(finding.section in mutant.sections for finding in fresh)
        if tool == "audit" and run.complete:
            hit = False
        result.detected[tool] = hit
    return result


@dataclass
class CleanResult:
    """What the tools say about the compliant tree: every finding there is a false positive."""

    runs: dict[str, ToolRun]
    lookalikes: list[Lookalike]

    def false_positives(self, tool: str) -> list[Observed]:
        return list(self.runs[tool].findings) if tool in self.runs else []

    def lookalikes_flagged(self, tool: str) -> list[tuple[Lookalike, Observed]]:
        flagged = []
        for lookalike in self.lookalikes:
            for finding in self.false_positives(tool):
                if finding.path == lookalike.file and finding.line == lookalike.line:
                    flagged.append((lookalike, finding))
                    break
        return flagged
