"""`phase12 audit --format sarif`: SARIF 2.1.0 for GitHub code scanning.

Rule metadata comes from the catalog (`tool.driver.rules`: id = code, name = symbol,
shortDescription = title, fullDescription = "What it does", help = the whole documentation as
markdown, properties = section). Each finding is one result with its location relative to the
repository root (`%SRCROOT%`), 1-based line and column, and a `partialFingerprints` entry built
from the baseline fingerprint, so code scanning tracks an alert across edits that shift lines.
A project-wide finding (a missing required test, the test command) is placed on the
configuration file, because code scanning needs a file for every result.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from urllib.parse import quote

from flake8_phase12 import __version__
from flake8_phase12.audit.model import AuditFinding, AuditResult
from flake8_phase12.audit.paths import fallback_artifact, relative_to, repository_root
from flake8_phase12.catalog import DOC_SECTIONS, Rule
from flake8_phase12.rule_index import all_rules

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
INFORMATION_URI = "https://pypi.org/project/flake8-phase12/"
FINGERPRINT_KEY = "phase12Fingerprint/v1"


def render_sarif(result: AuditResult, repo_root: Path | None = None) -> str:
    return json.dumps(sarif_log(result, repo_root), indent=2, ensure_ascii=False)


def sarif_log(result: AuditResult, repo_root: Path | None = None) -> dict[str, object]:
    root = repo_root or repository_root(Path(result.project_root))
    rules = list(all_rules())
    index = {rule.code: position for position, rule in enumerate(rules)}
    fallback = fallback_artifact(result, root)
    results = [_result(finding, result, root, index, fallback) for finding in result.findings]
    run: dict[str, object] = {
        "tool": {"driver": {
            "name": "flake8-phase12",
            "version": __version__,
            "semanticVersion": __version__,
            "informationUri": INFORMATION_URI,
            "rules": [_descriptor(rule) for rule in rules],
        }},
        "originalUriBaseIds": {"%SRCROOT%": {"uri": root.resolve().as_uri() + "/"}},
        "invocations": [_invocation(result)],
        "results": results,
        "properties": {"verdict": result.verdict, "complete": result.complete},
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def _descriptor(rule: Rule) -> dict[str, object]:
    markdown = "\n\n".join(f"## {name}\n\n{rule.doc_section(name)}" for name in DOC_SECTIONS)
    return {
        "id": rule.code,
        "name": rule.symbol,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.doc_section("What it does") or rule.title},
        "help": {"text": _plain(markdown), "markdown": markdown},
        "defaultConfiguration": {"level": "error"},
        "properties": {
            "section": rule.section,
            "section_title": rule.section_title,
            "scope": rule.scope,
            "tags": ["phase12", f"section-{rule.section}"],
            "precision": "high",
            "problem.severity": "error",
        },
    }


def _plain(markdown: str) -> str:
    return "\n".join(line[3:] if line.startswith("## ") else line
                     for line in markdown.splitlines() if not line.startswith("```"))


def _result(finding: AuditFinding, result: AuditResult, root: Path, index: dict[str, int],
            fallback: str | None) -> dict[str, object]:
    text = finding.message
    if finding.evidence:
        text += "\n" + "\n".join(finding.evidence)
    entry: dict[str, object] = {
        "ruleId": finding.code,
        "level": "error",
        "message": {"text": text},
        "partialFingerprints": {FINGERPRINT_KEY: _fingerprint(finding)},
    }
    if finding.code in index:
        entry["ruleIndex"] = index[finding.code]
    location = _location(finding, result, root, fallback)
    if location is not None:
        entry["locations"] = [location]
    return entry


def _location(finding: AuditFinding, result: AuditResult, root: Path,
              fallback: str | None) -> dict[str, object] | None:
    if finding.path:
        uri = relative_to(finding.path, result.project_root, root)
    elif fallback:
        uri = fallback
    else:
        return None
    region: dict[str, int] = {"startLine": max(1, finding.line)}
    if finding.line:
        region["startColumn"] = finding.col + 1
        if finding.end_line and finding.end_line >= finding.line:
            region["endLine"] = finding.end_line
            if finding.end_col is not None and (finding.end_line > finding.line
                                                or finding.end_col > finding.col):
                region["endColumn"] = finding.end_col + 1
    return {"physicalLocation": {
        "artifactLocation": {"uri": quote(uri), "uriBaseId": "%SRCROOT%"},
        "region": region,
    }}


def _fingerprint(finding: AuditFinding) -> str:
    key = "\0".join((finding.path, finding.code, finding.anchor, finding.text))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _invocation(result: AuditResult) -> dict[str, object]:
    notifications = [{"level": "error", "message": {"text": error}} for error in result.errors]
    invocation: dict[str, object] = {"executionSuccessful": not result.errors}
    if notifications:
        invocation["toolConfigurationNotifications"] = notifications
    return invocation
