"""`phase12 audit --format json`: the audit result as a stable, documented JSON document.

Schema (`schema_version` 1; fields are only ever added within a version):

    {
      "schema_version": 1,
      "tool": {"name": "flake8-phase12", "version": str},
      "project_root": str,                 # absolute
      "configuration": str,                # the pyproject.toml read, or "<defaults>"
      "target": str,                       # the PATH argument
      "files_checked": int,
      "complete": bool,                    # the verdict; exit code 0 iff true
      "verified": bool,                    # no errors: everything could be checked (else exit 2)
      "verdict": str,                      # "Phase 12 complete" / "... NOT complete..." /
                                           # "Phase 12 NOT VERIFIED: ..."
      "strict": bool,                      # unverified items count as not complete
      "summary": {"items": int, "passed": int, "failed": int, "unchecked": int,
                  "findings": int},
      "sections": [{
          "number": int, "title": str, "status": "passed" | "failed" | "unchecked",
          "contracts": [str],              # ids (or names) of the contracts shown in it
          "items": [{
              "title": str,                # the checklist's wording
              "status": "passed" | "failed" | "unchecked",
              "checks": [str],             # what verifies it: rules, contracts, tests
              "confirms": [str],           # the checklist's bullets for it
              "reason": str | null,        # why it is unchecked
              "findings": [Finding]
          }]
      }],
      "contracts": [{"id": str | null, "name": str, "type": str, "section": int,
                     "code": str, "status": "kept" | "broken" | "error",
                     "message": str | null, "warnings": [str], "findings": [Finding]}],
      "findings": [Finding],               # every reported finding, sorted (path, line, col, code)
      "problems": [Finding],               # files that could not be checked (GOV001), GOV000
      "baseline": null | {"path": str, "accepted": int,
                          "stale": [{"path", "code", "anchor", "text", "count"}]},
      "suppressed": {code: int},           # findings a `# noqa` or `# pylint: disable` suppressed
      "errors": [str],                     # what could not be checked (exit code 2)
      "notes": [str]
    }

    Finding = {"code": str, "symbol": str, "section": int, "message": str,
               "path": str | null,         # relative to project_root, posix
               "line": int | null, "column": int | null,      # 1-based
               "end_line": int | null, "end_column": int | null,
               "anchor": str | null,       # Class.method around the finding
               "item": str | null, "contract": str | null, "evidence": [str]}

Nothing in it depends on the machine's speed or the number of worker processes.
"""

from __future__ import annotations

import json

from flake8_phase12 import __version__
from flake8_phase12.audit.model import AuditResult

SCHEMA_VERSION = 1


def audit_to_dict(result: AuditResult) -> dict[str, object]:
    items = [item for section in result.sections for item in section.items]
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "flake8-phase12", "version": __version__},
        "project_root": result.project_root,
        "configuration": result.config_source,
        "target": result.target,
        "files_checked": result.files_checked,
        "complete": result.complete,
        "verified": result.verified,
        "verdict": result.verdict,
        "strict": result.strict,
        "summary": {
            "items": len(items),
            "passed": sum(item.status == "passed" for item in items),
            "failed": sum(item.status == "failed" for item in items),
            "unchecked": sum(item.status == "unchecked" for item in items),
            "findings": len(result.findings),
        },
        "sections": [section.to_dict() for section in result.sections],
        "contracts": [contract.to_dict() for contract in result.contracts],
        "findings": [finding.to_dict() for finding in result.findings if finding.section != 0],
        "problems": [finding.to_dict() for finding in result.problems],
        "baseline": result.baseline.to_dict() if result.baseline else None,
        "suppressed": dict(result.suppressed),
        "errors": list(result.errors),
        "notes": list(result.notes),
    }


def render_json(result: AuditResult) -> str:
    return json.dumps(audit_to_dict(result), indent=2, ensure_ascii=False)
