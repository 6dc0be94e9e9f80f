"""`phase12 audit`: the Phase 12 checklist, filled in with evidence from every check.

Public API:

- `run_audit(target, config=None, options=AuditOptions()) -> AuditResult`
- `AuditResult.section(n).findings`, `.complete`, `.verdict`; `render_text`, `render_json`,
  `render_sarif`, `render_github` for its outputs.
"""

from __future__ import annotations

from flake8_phase12.audit.core import AuditOptions, load_audit_config, run_audit
from flake8_phase12.audit.model import (
    AuditFinding,
    AuditResult,
    ContractResult,
    ItemResult,
    SectionResult,
)

__all__ = [
    "AuditFinding",
    "AuditOptions",
    "AuditResult",
    "ContractResult",
    "ItemResult",
    "SectionResult",
    "load_audit_config",
    "run_audit",
]
