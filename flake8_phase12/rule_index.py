"""Collects the rules and checks defined by the modules of `flake8_phase12.rules`, and the
records of the project rules kept beside their logic elsewhere (`compat.rules`, `audit.rules`).

Each rules module defines `RULES` (its `Rule` records) and, for file rules, `CHECKS` (the
`Check` classes that find them). Modules are read in name order, so the result is stable.

File checks are loaded lazily, per file role: `rules.FILE_CHECK_GATES` says, from the file's
module path and text alone, which rules modules can concern a file, and only those are imported
(`lint_file.concerned_checks`, for flake8 and pylint alike). `all_checks()` loads everything.
"""

from __future__ import annotations

import importlib
from functools import lru_cache
from types import ModuleType

from flake8_phase12 import rules as rules_package
from flake8_phase12.catalog import INTERNAL_ERROR, Rule
from flake8_phase12.rules import FILE_CHECK_GATES, Check


@lru_cache(maxsize=1)
def rule_module_names() -> tuple[str, ...]:
    import pkgutil  # only for the whole catalog, never on flake8's per-file path

    return tuple(sorted(info.name for info in pkgutil.iter_modules(rules_package.__path__)
                        if not info.name.startswith("_")))


def rule_module(name: str) -> ModuleType:
    return importlib.import_module(f"{rules_package.__name__}.{name}")


@lru_cache(maxsize=1)
def rule_modules() -> tuple[ModuleType, ...]:
    return tuple(rule_module(name) for name in rule_module_names())


@lru_cache(maxsize=1)
def all_rules() -> tuple[Rule, ...]:
    """Every rule, sorted by code: the internal-error rule, each rules module's `RULES`, and
    those of the project rules recorded beside their logic: Phase 11 compatibility
    (`compat.rules`) and the audit's own checks (`audit.rules`, a leaf module that imports only
    the catalog; see its docstring for why the audit's layer lets this one import through)."""
    # Imported here: only the whole catalog needs them, never flake8's per-file path.
    from flake8_phase12.audit import rules as audit_rules
    from flake8_phase12.compat import rules as compat_rules

    found: list[Rule] = [INTERNAL_ERROR]
    for module in (*rule_modules(), compat_rules, audit_rules):
        found.extend(getattr(module, "RULES", ()))
    for rule in found:
        rule.validate()
    codes = [rule.code for rule in found]
    symbols = [rule.symbol for rule in found]
    duplicates = sorted({name for name in codes + symbols
                         if codes.count(name) > 1 or symbols.count(name) > 1})
    if duplicates:
        raise RuntimeError(f"duplicate rule codes or symbols in the catalog: {', '.join(duplicates)}")
    return tuple(sorted(found, key=lambda rule: rule.code))


@lru_cache(maxsize=1)
def all_checks() -> tuple[Check, ...]:
    """One instance of every `Check` of the rules modules, in module order."""
    return tuple(check for name in FILE_CHECK_GATES for check in module_checks(name))


@lru_cache(maxsize=None)
def module_checks(name: str) -> tuple[Check, ...]:
    """One instance of each `Check` of one rules module, imported on first use."""
    return tuple(check_class() for check_class in getattr(rule_module(name), "CHECKS", ()))


def find_rule(code_or_symbol: str) -> Rule | None:
    """Look a rule up by code (`GOV101`, case-insensitive), a code it had before (`aliases`) or
    its pylint symbol."""
    wanted = code_or_symbol.strip()
    for rule in all_rules():
        if wanted.upper() in (rule.code, *rule.aliases) or rule.symbol == wanted.lower():
            return rule
    return None
