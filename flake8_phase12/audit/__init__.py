"""`phase12 audit`: the Phase 12 checklist, filled in with evidence from every check.

Public API:

- `run_audit(target, config=None, options=AuditOptions()) -> AuditResult`
- `AuditResult.section(n).findings`, `.complete`, `.verdict`; `render_text`, `render_json`,
  `render_sarif`, `render_github` for its outputs.

The names are imported on first use (PEP 562): the rule catalog imports `audit.rules`, the
records of the audit's own rules, and must not load the audit with it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for type checkers and readers: at run time, `__getattr__` imports them
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


def __getattr__(name: str) -> object:
    """A public name of the package's modules, imported on first use."""
    if name in __all__:
        from flake8_phase12.audit import core, model

        for module in (core, model):
            if name in vars(module):
                return vars(module)[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
