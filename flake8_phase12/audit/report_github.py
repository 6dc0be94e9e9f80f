"""`phase12 audit --format github`: GitHub Actions workflow commands (annotations).

One `::error` per finding, at its file, line and column relative to the repository root (the
workflow's checkout), titled with the rule code so the annotation says what failed; a
`::warning` per item that could not be verified; the verdict as a plain last line.
"""

from __future__ import annotations

from pathlib import Path

from flake8_phase12.audit.model import AuditFinding, AuditResult
from flake8_phase12.audit.paths import fallback_artifact, relative_to, repository_root


def render_github(result: AuditResult, repo_root: Path | None = None) -> str:
    root = repo_root or repository_root(Path(result.project_root))
    fallback = fallback_artifact(result, root)
    lines = [annotation(finding, result, root, fallback) for finding in result.findings]
    for item in result.unchecked_items:
        lines.append(_command("warning", {"title": f"Phase 12 §{item.section} not verified"},
                              f"{item.title}: {item.reason}"))
    for error in result.errors:
        lines.append(_command("error", {"title": "phase12 configuration"}, error))
    if result.baseline and result.baseline.stale:
        count = sum(n for _, n in result.baseline.stale)
        lines.append(_command("notice", {"title": "phase12 baseline"},
                              f"{count} stale baseline entries in {result.baseline.path}: "
                              f"run `phase12 baseline` to drop them"))
    lines.append(result.verdict)
    return "\n".join(lines)


def annotation(finding: AuditFinding, result: AuditResult, root: Path,
               fallback: str | None = None) -> str:
    properties: dict[str, str] = {}
    if not finding.path and fallback:
        properties["file"] = fallback  # a project-wide finding: shown on the configuration file
    elif finding.path:
        properties["file"] = relative_to(finding.path, result.project_root, root)
        if finding.line:
            properties["line"] = str(finding.line)
            properties["col"] = str(finding.col + 1)
            if finding.end_line and finding.end_line >= finding.line:
                properties["endLine"] = str(finding.end_line)
    properties["title"] = f"{finding.code} {finding.symbol}".strip()
    message = finding.message
    if finding.evidence:
        message += "\n" + "\n".join(finding.evidence)
    return _command("error", properties, message)


def _command(kind: str, properties: dict[str, str], message: str) -> str:
    rendered = ",".join(f"{key}={_escape_property(value)}" for key, value in properties.items())
    head = f"::{kind} {rendered}" if rendered else f"::{kind}"
    return f"{head}::{_escape_data(message)}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
