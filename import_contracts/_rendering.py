"""Printing broken-contract reports through ``importlinter.output``.

Chains are printed by import-linter's own chain renderer, so our reports look exactly like the
built-in contracts' (``- a.b -> c.d (l.3)``, ``&`` lines for fan-in/fan-out). Text goes through
rich markup, so nothing printed here may contain square brackets.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

from importlinter import output

from ._importlinter_compat import render_chain
from .metadata import Violation, to_detailed_chain


def describe_list(items: Sequence[str]) -> str:
    """``[a]`` -> ``a``; ``[a, b, c]`` -> ``a, b and c``."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def layer_violation_heading(violation: Violation) -> str:
    importer, imported = violation["importer"], violation["imported"]
    if violation["kind"] == "skip":
        skipped = violation["skipped_layers"]
        return f"{importer} is not allowed to import {imported} (skips {describe_list(skipped)}):"
    if violation["kind"] == "sibling":
        return f"{importer} is not allowed to import {imported} (independent siblings):"
    return f"{importer} is not allowed to import {imported} (upward import):"


def render_layer_violations(violations: Sequence[Violation]) -> None:
    for violation in violations:
        output.print(layer_violation_heading(violation))
        output.new_line()
        _render_chains(violation)
        output.print(f"Hint: {violation['hint']}")
        output.new_line()
        output.new_line()


def render_undeclared_modules(modules: Sequence[str]) -> None:
    if not modules:
        return
    output.print("The following modules are not listed as layers:")
    output.new_line()
    for module in modules:
        output.print_error(f"- {module}", bold=False)
    output.new_line()
    output.print(
        "(Since this contract is marked as 'exhaustive', every child of every container must be "
        "declared as a layer, an allowed shared module or an exhaustive ignore.)"
    )
    output.new_line()


def render_gateway_violations(violations: Sequence[Violation], gateway_modules: Sequence[str]) -> None:
    gateways = describe_list(list(gateway_modules))
    for protected, group in groupby(violations, key=lambda v: v["protected_module"]):
        group_violations = list(group)
        output.print(f"Only {gateways} may import {protected}.")
        output.new_line()
        for violation in group_violations:
            output.print(_gateway_violation_heading(violation))
            output.new_line()
            _render_chains(violation)
        # Every violation of a group carries the same hint; print it once.
        output.print(f"Hint: {group_violations[0]['hint']}")
        output.new_line()
        output.new_line()


def _gateway_violation_heading(violation: Violation) -> str:
    importer, imported = violation["importer"], violation["imported"]
    if len(violation["chains"][0]["chain"]) == 1:
        return f"{importer} is not allowed to import {imported}:"
    return f"{importer} is not allowed to reach {imported} except through a gateway:"


def _render_chains(violation: Violation) -> None:
    for chain in violation["chains"]:
        render_chain(to_detailed_chain(chain))
        output.new_line()
