"""Collects the rules and checks defined by the modules of `flake8_phase12.rules`.

Each rules module defines `RULES` (its `Rule` records) and, for file rules, `CHECKS` (the
`Check` classes that find them). Modules are read in name order, so the result is stable.

File checks are loaded lazily, per file role: `FILE_CHECK_GATES` says, from the file's module
path alone, which rules modules can concern a file, and only those are imported (by
`lint_file.check_file`). flake8 runs afresh for every editor keystroke; a plain module should not
pay for loading the runner's control-flow analysis. `all_checks()` still loads everything (the
pylint plugin, the tests).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import lru_cache
from types import ModuleType

from flake8_phase12 import rules as rules_package
from flake8_phase12.analysis import roles
from flake8_phase12.analysis.check_base import Check
from flake8_phase12.analysis.context import FileContext
from flake8_phase12.catalog import INTERNAL_ERROR, Rule

Gate = Callable[[FileContext], bool]

# Every rules module that defines `CHECKS`, with the files it can concern (a superset of what
# its checks' `applies_to` accept; tests/test_rule_index.py holds the two together).
FILE_CHECK_GATES: dict[str, Gate] = {
    "api_contract": roles.is_api_module,
    "delegation_chain": roles.may_concern_the_chain,
    "direct_execution": roles.may_execute_plugins_directly,
    "envelope_shape": roles.is_envelope_or_runner_module,
    "exception_escape": roles.is_runner_module,
    "input_validation": roles.is_runner_module,
    "metrics": roles.is_runner_module,
    "output_validation": roles.is_runner_module,
    "registry_metrics": roles.may_keep_registry_metrics,
    "sanctioned_executors": roles.may_call_a_sanctioned_executor,
    "service_errors": roles.is_service_module,
}


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
    """Every rule, sorted by code: the internal-error rule plus each module's `RULES`."""
    found: list[Rule] = [INTERNAL_ERROR]
    for module in rule_modules():
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
    """One instance of every `Check` listed in a rules module's `CHECKS`, in module order."""
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
