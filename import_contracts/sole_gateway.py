"""``sole_gateway``: protected modules may be reached only through their gateway modules.

The built-in ``protected`` contract checks direct imports only, so ``api -> utils -> runner``
passes it. With ``transitive = true`` (the default) this contract also reports every module
that reaches a protected module along a route that does not pass through a gateway.
"""

from __future__ import annotations

import time
from typing import cast

import grimp
from importlinter import Contract, ContractCheck, fields, output

from . import _rendering
from ._graph import is_same_or_descendant, module_exists, resolve_expressions_or_explain, with_descendants
from ._importlinter_compat import (
    AlertLevel,
    ModuleExpression,
    remove_contract_ignored_imports,
    render_guidance,
)
from .errors import ContractOptionsError, unrecognised_option_errors
from .metadata import ContractMetadata, Violation, chain_from_modules, empty_metadata, sort_violations

CONTRACT_TYPE = "sole_gateway"


class SoleGatewayContract(Contract):
    """Only the gateway modules (and the protected modules themselves) may import the protected
    modules.

    Register it with ``contract_types = sole_gateway: import_contracts.SoleGatewayContract``.

    Configuration options:

        - protected_modules:  Modules that only gateways may import. Wildcards allowed.
        - gateway_modules:    The only modules allowed to import them. Wildcards allowed.
        - transitive:         If true (default), a module that reaches a protected module along
                              any route that does not pass through a gateway is a violation
                              (``api -> utils -> runner``). If false, only direct imports are
                              checked, like the built-in ``protected`` contract.
        - as_packages:        Treat protected and gateway modules as packages, descendants
                              included (default true).
        - ignore_imports:     Import expressions to ignore, as for built-in contracts. (Optional.)
        - unmatched_ignore_imports_alerting:
                              "none", "warn" or "error" (default) for ignore_imports that match
                              nothing.
        - broken_contract_guidance:
                              Text printed after the violations. (Optional.)

    Each violation (kind ``gateway``) names the offending module, the protected module it
    reaches and one shortest route; see ``import_contracts.metadata`` for the schema.
    """

    type_name = CONTRACT_TYPE

    protected_modules = fields.ListField(subfield=fields.ModuleExpressionField())
    gateway_modules = fields.ListField(subfield=fields.ModuleExpressionField())
    transitive = fields.BooleanField(default=True)
    as_packages = fields.BooleanField(default=True)
    ignore_imports = fields.SetField(subfield=fields.ImportExpressionField(), required=False)
    unmatched_ignore_imports_alerting = fields.EnumField(AlertLevel, default=AlertLevel.ERROR)
    broken_contract_guidance = fields.TextField(required=False)

    # ------------------------------------------------------------------ configuration

    def validate(self) -> None:
        errors = unrecognised_option_errors(self)
        if not self._protected_expressions:
            errors["protected_modules"] = "At least one protected module is needed."
        if not self._gateway_expressions:
            errors["gateway_modules"] = "At least one gateway module is needed."
        overlap = _literal_overlap(
            self._protected_expressions, self._gateway_expressions, bool(self.as_packages)
        )
        if overlap:
            errors["gateway_modules"] = overlap
        if errors:
            raise ContractOptionsError(errors, contract_name=self.name)

    @property
    def _protected_expressions(self) -> list[ModuleExpression]:
        return cast("list[ModuleExpression]", self.protected_modules or [])

    @property
    def _gateway_expressions(self) -> list[ModuleExpression]:
        return cast("list[ModuleExpression]", self.gateway_modules or [])

    # ------------------------------------------------------------------ checking

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        started = time.perf_counter()
        removal = remove_contract_ignored_imports(self, graph)
        protected_roots = self._resolve(graph, self._protected_expressions, "protected_modules")
        gateway_roots = self._resolve(graph, self._gateway_expressions, "gateway_modules")
        protected = with_descendants(graph, protected_roots) if self.as_packages else set(protected_roots)
        gateways = with_descendants(graph, gateway_roots) if self.as_packages else set(gateway_roots)
        overlap = ", ".join(sorted(protected & gateways))
        if overlap:
            message = f"A module cannot be both protected and a gateway: {overlap}."
            raise ContractOptionsError({"gateway_modules": message}, contract_name=self.name)

        next_hop = _routes_towards(graph, protected, gateways, max_depth=None if self.transitive else 1)
        violations = _build_violations(graph, next_hop, protected, protected_roots, gateway_roots)

        metadata: ContractMetadata = empty_metadata(CONTRACT_TYPE)
        metadata["violations"] = sort_violations(violations)
        metadata["configuration"] = {
            "protected_modules": sorted(protected_roots),
            "gateway_modules": sorted(gateway_roots),
            "transitive": bool(self.transitive),
            "as_packages": bool(self.as_packages),
        }
        output.verbose_print(
            verbose,
            f"{len(violations)} gateway bypass{'' if len(violations) == 1 else 'es'} found "
            f"in {time.perf_counter() - started:.3f}s.",
        )
        return ContractCheck(
            kept=not violations,
            metadata=dict(metadata),
            warnings=list(removal.warnings),
            ignored_import_count=removal.ignored_import_count,
        )

    def _resolve(
        self, graph: grimp.ImportGraph, expressions: list[ModuleExpression], field_name: str
    ) -> list[str]:
        root_packages = self.session_options.get("root_packages") or []
        modules, problem = resolve_expressions_or_explain(graph, expressions, root_packages)
        if problem:
            raise ContractOptionsError({field_name: problem}, contract_name=self.name)
        return sorted(modules)

    # ------------------------------------------------------------------ rendering

    def render_broken_contract(self, check: ContractCheck) -> None:
        _rendering.render_gateway_violations(
            check.metadata["violations"], check.metadata["configuration"]["gateway_modules"]
        )
        render_guidance(cast("str | None", self.broken_contract_guidance))


# ---------------------------------------------------------------------- helpers


def _literal_overlap(
    protected: list[ModuleExpression], gateways: list[ModuleExpression], as_packages: bool
) -> str | None:
    """Catch the obvious overlaps before the graph is built (wildcards are checked later)."""
    for protected_expression in protected:
        for gateway_expression in gateways:
            if protected_expression.has_wildcard_expression() or gateway_expression.has_wildcard_expression():
                continue
            p, g = protected_expression.expression, gateway_expression.expression
            if p == g:
                return f"'{g}' cannot be both protected and a gateway."
            if as_packages and (is_same_or_descendant(p, g) or is_same_or_descendant(g, p)):
                return (
                    f"'{g}' and protected module '{p}' overlap (one contains the other, and "
                    "as_packages is true)."
                )
    return None


def _routes_towards(
    graph: grimp.ImportGraph,
    protected: set[str],
    gateways: set[str],
    max_depth: int | None,
) -> dict[str, str]:
    """For every module that reaches a protected module without passing through a gateway,
    the next module on one shortest such route.

    A breadth-first search backwards from the protected modules, over grimp's
    ``find_modules_that_directly_import``, that never expands a gateway: one pass gives the
    reachability *and* a shortest route for every offender (asking grimp for a shortest chain
    per offender would cost one graph search each). Frontiers are walked in sorted order so the
    route chosen among equally short ones is the same on every run.
    """
    next_hop: dict[str, str] = {}
    seen = set(protected) | set(gateways)
    frontier = sorted(module for module in protected if module_exists(graph, module))
    depth = 0
    while frontier and (max_depth is None or depth < max_depth):
        depth += 1
        reached = []
        for module in frontier:
            for importer in sorted(graph.find_modules_that_directly_import(module) - seen):
                seen.add(importer)
                next_hop[importer] = module
                reached.append(importer)
        frontier = sorted(reached)
    return next_hop


def _build_violations(
    graph: grimp.ImportGraph,
    next_hop: dict[str, str],
    protected: set[str],
    protected_roots: list[str],
    gateway_roots: list[str],
) -> list[Violation]:
    violations = []
    for offender in next_hop:
        if next_hop[offender] in protected:
            # A direct importer: report every protected module it imports, not just the one on
            # its shortest route, so each offending import line shows up.
            targets = sorted(graph.find_modules_directly_imported_by(offender) & protected)
            routes = [[offender, target] for target in targets]
        else:
            routes = [_follow(offender, next_hop, protected)]
        for route in routes:
            violations.append(_violation(graph, route, protected_roots, gateway_roots))
    return violations


def _follow(offender: str, next_hop: dict[str, str], protected: set[str]) -> list[str]:
    route = [offender]
    while route[-1] not in protected:
        route.append(next_hop[route[-1]])
    return route


def _violation(
    graph: grimp.ImportGraph, route: list[str], protected_roots: list[str], gateway_roots: list[str]
) -> Violation:
    imported = route[-1]
    # The most specific protected root containing the module that was reached.
    protected_root = max(
        (root for root in protected_roots if is_same_or_descendant(imported, root)), key=len, default=imported
    )
    line_numbers = [
        [detail["line_number"] for detail in graph.get_import_details(importer=a, imported=b)]
        for a, b in zip(route, route[1:])
    ]
    gateways = _rendering.describe_list(gateway_roots)
    return {
        "kind": "gateway",
        "importer": route[0],
        "imported": imported,
        "skipped_layer": None,
        "skipped_layers": [],
        "protected_module": protected_root,
        "hint": (
            f"reach {protected_root} only through {gateways}; the last import of each route "
            "above is the one that bypasses the gateway. A module that only builds the runner "
            "to hand it over (a composition root) belongs in gateway_modules."
        ),
        "chains": [chain_from_modules(route, line_numbers)],
    }
