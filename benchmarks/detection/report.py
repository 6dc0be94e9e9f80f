"""The benchmark's output: text tables, JSON, and the README's Detection table."""

from __future__ import annotations

import datetime
import os
import platform
import re
from typing import Any, Protocol

from detection.scoring import CleanResult, MutantResult
from detection.tools import FILE_TOOLS

SECTIONS = range(1, 9)
README_START = "<!-- detection:start -->"
README_END = "<!-- detection:end -->"


class Measured(Protocol):
    """What `mutation_score.Prepared` carries (a protocol keeps this module free of it)."""

    corpus: Any
    mode: str
    gaps: list[str]
    clean: CleanResult | None
    results: list[MutantResult]
    seconds: float


def target_tools(section: int, tools: tuple[str, ...]) -> tuple[str, ...]:
    """Who must find a section's mutants: flake8 or pylint for 1-7 (the audit when neither
    ran), the audit (`phase12 compat` inside it) for 8."""
    if section == 8:
        return ("audit",)
    chosen = tuple(tool for tool in FILE_TOOLS if tool in tools)
    return chosen or ("audit",)


def _in_scope(item: Measured, section: int | None = None) -> list[MutantResult]:
    return [result for result in item.results
            if result.in_scope and (section is None or result.mutant.section == section)]


def section_figures(item: Measured, tools: tuple[str, ...]) -> dict[int, tuple[int, int]]:
    """Section -> (detected by its target tools, in-scope total)."""
    figures = {}
    for section in SECTIONS:
        results = _in_scope(item, section)
        wanted = target_tools(section, tools)
        figures[section] = (sum(result.detected_by(wanted) for result in results), len(results))
    return figures


def false_positive_count(item: Measured, tools: tuple[str, ...]) -> dict[str, int]:
    if item.clean is None:
        return {}
    return {tool: len(item.clean.false_positives(tool)) for tool in tools if tool in item.clean.runs}


def _ratio(detected: int, total: int) -> str:
    return f"{detected}/{total}" if total else "-"


def _percent(detected: int, total: int) -> str:
    return f"{100 * detected / total:.0f}%" if total else "-"


def render_text(items: list[Measured], tools: tuple[str, ...], target: float) -> str:
    lines: list[str] = []
    for item in items:
        lines.extend(_render_one(item, tools, target))
        lines.append("")
    lines.append(render_summary(items, tools))
    lines.append("")
    lines.extend(_target_lines(items, tools, target))
    return "\n".join(lines)


def _target_lines(items: list[Measured], tools: tuple[str, ...], target: float) -> list[str]:
    """One line per corpus and mode against the target (what `run_all.py` collects)."""
    lines = []
    for item in items:
        figures = {section: figure for section, figure in section_figures(item, tools).items() if figure[1]}
        below = [f"§{section} {_percent(*figure)}" for section, figure in figures.items()
                 if figure[0] / figure[1] < target]
        positives = sum(false_positive_count(item, tools).values())
        lines.append(f"detection {item.corpus.name} {item.mode}: "
                     f"{'every section at target' if not below else 'below target: ' + ', '.join(below)}; "
                     f"{positives} finding(s) on compliant code "
                     f"(target {target:.0%} per section, 0 findings)")
    return lines


def _render_one(item: Measured, tools: tuple[str, ...], target: float) -> list[str]:
    scope = _in_scope(item)
    lines = [f"== {item.corpus.name} · {item.mode}: {len(item.results)} mutants, {len(scope)} in scope =="]
    lines.extend(f"  gap: {gap}" for gap in item.gaps)
    lines.extend(_section_table(item, tools, target))
    if item.clean is not None:
        lines.extend(_clean_tree(item.clean, tools))
    out = [result for result in item.results if not result.in_scope]
    if out:
        found = sum(_detected(result, tools) for result in out)
        lines.append(f"  out of scope, detected anyway: {found}/{len(out)}")
    missed = [result for result in scope if not _detected(result, tools)]
    if missed:
        lines.append("  missed:")
    for result in missed:
        lines.extend(_miss(result))
    return lines


def _detected(result: MutantResult, tools: tuple[str, ...]) -> bool:
    return result.detected_by(target_tools(result.mutant.section, tools))


def _figure(detected: int, total: int) -> str:
    return f"{_ratio(detected, total)} {_percent(detected, total)}"


def _section_table(item: Measured, tools: tuple[str, ...], target: float) -> list[str]:
    lines = [f"  {'section':<8}" + "".join(f"{tool:>14}" for tool in tools) + f"{'target':>16}"]
    figures = section_figures(item, tools)
    for section in SECTIONS:
        in_section = _in_scope(item, section)
        cells = "".join(
            f"{_ratio(sum(result.detected.get(tool, False) for result in in_section), len(in_section)):>14}"
            for tool in tools)
        detected, total = figures[section]
        mark = "" if not total or detected / total >= target else "  below"
        lines.append(f"  §{section:<7}{cells}{_figure(detected, total):>16}{mark}")
    all_detected = sum(detected for detected, _ in figures.values())
    all_total = sum(total for _, total in figures.values())
    lines.append(f"  {'all':<8}{'':>{14 * len(tools)}}{_figure(all_detected, all_total):>16}")
    return lines


def _clean_tree(clean: CleanResult, tools: tuple[str, ...], shown: int = 12) -> list[str]:
    counts = ", ".join(f"{tool} {len(clean.false_positives(tool))}" for tool in tools if tool in clean.runs)
    audit = clean.runs.get("audit")
    verdict = "" if audit is None else \
        f"; audit verdict on it: {'complete' if audit.complete else 'NOT complete'}"
    lines = [f"  findings on the compliant tree (false positives): {counts}{verdict}"]
    for tool, run in clean.runs.items():
        lines.extend(f"    audit item {not_passed[:160]}" for not_passed in run.items)
        if run.error:
            lines.append(f"    {tool} error: {run.error}")
        for finding in run.findings[:shown]:
            where = f"{finding.path or '<project>'}:{finding.line}"
            lines.append(f"    {tool}: {where}: {finding.message[:150]}")
        if len(run.findings) > shown:
            lines.append(f"    {tool}: ... {len(run.findings) - shown} more")
    flagged = ", ".join(f"{tool} {len(clean.lookalikes_flagged(tool))}"
                        for tool in tools if tool in clean.runs)
    lines.append(f"  lookalikes flagged (of {len(clean.lookalikes)}): {flagged}")
    return lines


def _miss(result: MutantResult) -> list[str]:
    mutant = result.mutant
    also = f" (or §{', §'.join(map(str, mutant.also_sections))})" if mutant.also_sections else ""
    lines = [f"    {mutant.id} §{mutant.section}{also} {mutant.file}: {mutant.why[:110]}"]
    for tool, fresh in result.new.items():
        lines.extend(f"      {tool} saw §{finding.section} {finding.code}: {finding.message[:120]}"
                     for finding in fresh[:3])
    lines.extend(f"      {tool} error: {error[:160]}" for tool, error in result.errors.items())
    return lines


def render_summary(items: list[Measured], tools: tuple[str, ...]) -> str:
    """One table: corpus × mode rows, the target figure of each section, false positives."""
    header = "| corpus | mode | " + " | ".join(f"§{section}" for section in SECTIONS) + \
        " | all | findings on compliant code | lookalikes flagged | config gaps |"
    rule = "|---|---|" + "---|" * (len(SECTIONS) + 4)
    rows = [header, rule]
    for item in items:
        figures = section_figures(item, tools)
        all_detected = sum(detected for detected, _ in figures.values())
        all_total = sum(total for _, total in figures.values())
        fps = false_positive_count(item, tools)
        looks = "-"
        clean = item.clean
        if clean is not None:
            looks = ", ".join(f"{tool} {len(clean.lookalikes_flagged(tool))}/{len(clean.lookalikes)}"
                              for tool in tools if tool in clean.runs)
        cells = " | ".join(_ratio(*figures[section]) for section in SECTIONS)
        positives = ", ".join(f"{tool} {count}" for tool, count in fps.items())
        rows.append(f"| {item.corpus.name} | {item.mode} | {cells} | {_percent(all_detected, all_total)} "
                    f"| {positives} | {looks} | {len(item.gaps)} |")
    return "\n".join(rows)


def to_json(items: list[Measured], tools: tuple[str, ...], target: float) -> dict[str, Any]:
    out: dict[str, Any] = {"tools": list(tools), "target": target, "runs": []}
    for item in items:
        clean = item.clean
        out["runs"].append({
            "corpus": item.corpus.name,
            "mode": item.mode,
            "gaps": item.gaps,
            "sections": {str(section): {"detected": detected, "total": total}
                         for section, (detected, total) in section_figures(item, tools).items()},
            "false_positives": {tool: [finding.__dict__ for finding in clean.false_positives(tool)]
                                for tool in tools} if clean else {},
            "clean_errors":
                {tool: run.error for tool, run in clean.runs.items() if run.error} if clean else {},
            "audit_complete_on_clean":
                clean.runs["audit"].complete if clean and "audit" in clean.runs else None,
            "lookalikes_flagged": {tool: [{"file": look.file, "line": look.line, "code": finding.code}
                                          for look, finding in clean.lookalikes_flagged(tool)]
                                   for tool in tools} if clean else {},
            "mutants": [{
                "id": result.mutant.id,
                "section": result.mutant.section,
                "also_sections": list(result.mutant.also_sections),
                "in_scope": result.in_scope,
                "detected": result.detected,
                "new": {tool: [finding.__dict__ for finding in fresh] for tool, fresh in result.new.items()},
                "errors": result.errors,
            } for result in item.results],
        })
    return out


def render_readme(readme: str, items: list[Measured], tools: tuple[str, ...], target: float) -> str:
    """The README with its Detection table replaced by this run's figures."""
    if README_START not in readme or README_END not in readme:
        raise SystemExit(f"README.md has no {README_START} ... {README_END} block to regenerate")
    day = datetime.date.today().isoformat()
    intro = (f"Measured on {day} by `python benchmarks/mutation_score.py --write-readme "
             f"--tools {','.join(tools)}` ({platform.machine()}, {os.cpu_count()} cores, Python "
             f"{platform.python_version()}). A cell is the in-scope mutants of a section detected "
             f"by {'/'.join(t for t in FILE_TOOLS if t in tools) or 'the audit'} (sections 1-7) or "
             f"the audit (section 8), over their number; the target is {target:.0%} in each "
             f"section, no finding on compliant code, in both modes.")
    block = f"{README_START}\n{intro}\n\n{render_summary(items, tools)}\n{README_END}"
    return re.sub(re.escape(README_START) + r".*?" + re.escape(README_END), lambda _: block, readme,
                  flags=re.S)
