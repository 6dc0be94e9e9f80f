"""Collects the rules and checks defined by the modules of `flake8_phase12.rules`.

Each rules module defines `RULES` (its `Rule` records) and, for file rules, `CHECKS` (the
`Check` classes that find them). Modules are read in name order, so the result is stable.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache
from types import ModuleType

from flake8_phase12 import rules as rules_package
from flake8_phase12.analysis.check import Check
from flake8_phase12.catalog import INTERNAL_ERROR, Rule


@lru_cache(maxsize=1)
def rule_modules() -> tuple[ModuleType, ...]:
    names = sorted(info.name for info in pkgutil.iter_modules(rules_package.__path__)
                   if not info.name.startswith("_"))
    return tuple(importlib.import_module(f"{rules_package.__name__}.{name}") for name in names)


@lru_cache(maxsize=1)
def all_rules() -> tuple[Rule, ...]:
    """Every rule, sorted by code: the internal-error rule plus each module's `RULES`."""
    found: list[Rule] = [INTERNAL_ERROR]
    for module in rule_modules():
        found.extend(getattr(module, "RULES", ()))
    codes = [rule.code for rule in found]
    symbols = [rule.symbol for rule in found]
    duplicates = sorted({name for name in codes + symbols
                         if codes.count(name) > 1 or symbols.count(name) > 1})
    if duplicates:
        raise RuntimeError(f"duplicate rule codes or symbols in the catalog: {', '.join(duplicates)}")
    return tuple(sorted(found, key=lambda rule: rule.code))


@lru_cache(maxsize=1)
def all_checks() -> tuple[Check, ...]:
    """One instance of every `Check` listed in a rules module's `CHECKS`, in module order."""
    return tuple(check_class() for module in rule_modules()
                 for check_class in getattr(module, "CHECKS", ()))


def rule_by_code(code: str) -> Rule:
    for rule in all_rules():
        if rule.code == code:
            return rule
    raise KeyError(code)


def find_rule(code_or_symbol: str) -> Rule | None:
    """Look a rule up by code (`GOV101`, case-insensitive) or pylint symbol."""
    wanted = code_or_symbol.strip()
    for rule in all_rules():
        if rule.code == wanted.upper() or rule.symbol == wanted.lower():
            return rule
    return None
