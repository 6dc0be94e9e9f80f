"""`phase12 audit` for a terminal: the checklist, filled in with the evidence, and the verdict."""

from __future__ import annotations

from dataclasses import dataclass

from flake8_phase12.audit.model import AuditFinding, AuditResult, ItemResult, SectionResult
from flake8_phase12.audit.paths import for_terminal

WIDTH = 78


@dataclass(frozen=True)
class Style:
    """How the text report is drawn: colours, and Unicode or ASCII marks."""
    color: bool = False
    unicode: bool = True

    def paint(self, text: str, code: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self.color else text

    def mark(self, status: str) -> str:
        glyphs = {"passed": ("✔", "PASS", "32"), "failed": ("✘", "FAIL", "31;1"),
                  "unchecked": ("?", "N/V ", "33"), "kept": ("✔", "PASS", "32"),
                  "broken": ("✘", "FAIL", "31;1"), "error": ("!", "ERR ", "31;1")}
        glyph, word, code = glyphs[status]
        return self.paint(glyph if self.unicode else word, code)

    def status_word(self, status: str) -> str:
        words = {"passed": ("PASSED", "32;1"), "failed": ("FAILED", "31;1"),
                 "unchecked": ("NOT VERIFIED", "33;1")}
        word, code = words[status]
        return self.paint(word, code)


def render_text(result: AuditResult, style: Style = Style(), verbose: bool = False) -> str:
    lines = _header(result, style)
    for section in result.sections:
        lines += _section(result, section, style, verbose)
    lines += _problems(result, style)
    lines += _suppressed(result, style)
    lines += _baseline(result, style)
    lines += _errors_and_notes(result, style, verbose)
    lines += ["", _verdict(result, style)]
    return "\n".join(lines)


def _header(result: AuditResult, style: Style) -> list[str]:
    contracts = len(result.contracts)
    facts = [f"{result.files_checked} file{'s' if result.files_checked != 1 else ''} checked",
             f"{contracts} import contract{'s' if contracts != 1 else ''}"]
    source = result.config_source
    if source and not source.startswith("<"):
        facts.insert(0, f"configuration {for_terminal(source, '.')}")
    else:
        facts.insert(0, "default configuration")
    title = style.paint(f"Phase 12 audit of {for_terminal('.', result.project_root) or '.'}", "1")
    return [title, "  " + " · ".join(facts) if style.unicode else "  " + "; ".join(facts)]


def _section(result: AuditResult, section: SectionResult, style: Style, verbose: bool) -> list[str]:
    heading = f"{section.number}. {section.title}"
    status = section.status
    dots = "." * max(2, WIDTH - len(heading) - len(_plain_status(status)) - 2)
    lines = ["", f"{style.paint(heading, '1')} {dots} {style.status_word(status)}"]
    for item in section.items:
        lines += _item(result, item, style, verbose)
    for contract in section.contracts:
        label = f"import contract '{contract.name}' ({contract.type}): {contract.status}"
        lines.append(f"    {style.mark(contract.status)} {label}")
        if contract.status == "error":
            lines.append(f"        {contract.message}")
        for warning in contract.warnings:
            lines.append(f"        warning: {warning}")
    return lines


def _plain_status(status: str) -> str:
    return {"passed": "PASSED", "failed": "FAILED", "unchecked": "NOT VERIFIED"}[status]


def _item(result: AuditResult, item: ItemResult, style: Style, verbose: bool) -> list[str]:
    lines = [f"  {style.mark(item.status)} {item.title}"]
    if item.status == "unchecked":
        lines.append(f"      {style.paint(item.reason, '33')}")
    if verbose:
        lines += [f"      - {confirm}" for confirm in item.confirms]
        if item.checks:
            lines.append(f"      checked by: {', '.join(item.checks)}")
    for finding in item.findings:
        lines += finding_lines(result, finding, style, indent="      ")
    return lines


def finding_lines(result: AuditResult, finding: AuditFinding, style: Style, indent: str) -> list[str]:
    location = style.paint(_location(result, finding), "1")
    lines = [f"{indent}{location}: {finding.message}"]
    lines += [f"{indent}    {line}" for line in finding.evidence]
    return lines


def _location(result: AuditResult, finding: AuditFinding) -> str:
    if not finding.path:
        return "<project>"
    shown = for_terminal(finding.path, result.project_root)
    if not finding.line:
        return shown
    return f"{shown}:{finding.line}:{finding.col + 1}"


def _problems(result: AuditResult, style: Style) -> list[str]:
    if not result.problems:
        return []
    lines = ["", style.paint("Files that could not be checked", "1;31")]
    for finding in result.problems:
        lines += finding_lines(result, finding, style, indent="  ")
    return lines


def _suppressed(result: AuditResult, style: Style) -> list[str]:
    if not result.suppressed:
        return []
    times = "×" if style.unicode else "x"
    counts = ", ".join(f"{code} {times}{count}" for code, count in result.suppressed)
    total = sum(count for _, count in result.suppressed)
    return ["", f"Suppressed in the code (# noqa, # pylint: disable): {total} finding"
                f"{'s' if total != 1 else ''} not shown: {counts}"]


def _baseline(result: AuditResult, style: Style) -> list[str]:
    summary = result.baseline
    if summary is None:
        return []
    lines = ["", f"Baseline {summary.path}: {summary.accepted} accepted finding"
                 f"{'s' if summary.accepted != 1 else ''} not shown"]
    if summary.stale:
        count = sum(n for _, n in summary.stale)
        lines.append(style.paint(f"  {count} stale baseline entr{'ies' if count != 1 else 'y'} "
                                 f"(fixed, or moved): run `phase12 baseline` to drop them", "33"))
        for fingerprint, n in summary.stale:
            times = f" (x{n})" if n > 1 else ""
            where = fingerprint.path or "<project>"
            lines.append(f"    {where}: {fingerprint.code} in {fingerprint.anchor or '<module>'}: "
                         f"{fingerprint.text.splitlines()[0] if fingerprint.text else ''}{times}")
    return lines


def _errors_and_notes(result: AuditResult, style: Style, verbose: bool) -> list[str]:
    lines: list[str] = []
    if result.errors:
        lines += ["", style.paint("Not verified: what the audit could not check", "1;31")]
        lines += [f"  {error}" for error in result.errors]
    if verbose and result.notes:
        lines += ["", "Notes"] + [f"  {note}" for note in result.notes]
    return lines


def _verdict(result: AuditResult, style: Style) -> str:
    items = [item for section in result.sections for item in section.items]
    failed = [item for item in items if item.status == "failed"]
    unchecked = [item for item in items if item.status == "unchecked"]
    parts = [f"{len(items) - len(failed) - len(unchecked)} of {len(items)} items passed"]
    if failed:
        sections = sorted({item.section for item in failed})
        parts.append(f"{len(failed)} failed (section{'s' if len(sections) > 1 else ''} "
                     f"{', '.join(map(str, sections))})")
    if unchecked:
        parts.append(f"{len(unchecked)} not verified")
    if result.problems:
        parts.append(f"{len(result.problems)} file{'s' if len(result.problems) > 1 else ''} "
                     f"not checked")
    if result.errors:
        parts.append(f"{len(result.errors)} error{'s' if len(result.errors) > 1 else ''} (not "
                     f"verified)")
    code = "32;1" if result.complete else "31;1"
    mark = style.mark("passed" if result.complete else "failed")
    return f"{mark} {style.paint(result.verdict, code)}: {', '.join(parts)}."
