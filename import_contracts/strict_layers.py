"""``strict_layers``: layers that may import only themselves and the layer directly below.

The built-in ``layers`` contract is "open": a higher layer may import any lower layer. This
contract closes every intermediate layer (grimp's ``Layer(closed=True)``), so
``api -> tool_runner`` or ``api -> utils -> tool_runner`` breaks it when layers sit in between.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from typing import cast

import grimp
from importlinter import Contract, ContractCheck, fields, output

from . import _rendering
from ._graph import (
    is_same_or_descendant,
    missing_modules_message,
    module_exists,
    resolve_expressions_or_explain,
)
from ._importlinter_compat import (
    AlertLevel,
    LayerLineField,
    ModuleExpression,
    ParsedLayerLine,
    remove_contract_ignored_imports,
    render_guidance,
)
from ._layers import ContainerLayers, ResolvedLayer, resolve_container_layers, to_grimp_layers
from .errors import ContractOptionsError, unrecognised_option_errors
from .metadata import (
    ContractMetadata,
    LineNumberCache,
    Violation,
    chains_from_routes,
    empty_metadata,
    sort_violations,
)

CONTRACT_TYPE = "strict_layers"


class StrictLayersContract(Contract):
    """Strict ("closed") layers: each layer may import itself and the layer directly below only.

    Register it with ``contract_types = strict_layers: import_contracts.StrictLayersContract``.

    Configuration options:

        - layers:             Layers from highest to lowest, one per line, same syntax as the
                              built-in ``layers`` contract: ``a | b`` independent siblings,
                              ``a : b`` siblings that may import each other, ``(a)`` optional.
                              At least two layers.
        - containers:         Parent packages of the layers; layer names are then relative to
                              each container. Wildcards allowed. (Optional.)
        - allowed_shared_modules:
                              Modules (with their descendants) that any layer may import, such as
                              ``app.errors``. They are removed from the graph before checking, so
                              importing them is never a violation and no route through them is
                              counted. They must not be, or contain, a layer. Wildcards allowed.
                              (Optional.)
        - ignore_imports:     Import expressions to ignore, as for built-in contracts. (Optional.)
        - unmatched_ignore_imports_alerting:
                              "none", "warn" or "error" (default) for ignore_imports that match
                              nothing.
        - exhaustive:         Every child of every container must be a layer, an allowed shared
                              module or listed in exhaustive_ignores. Needs containers.
                              (Default false.)
        - exhaustive_ignores: Child names exempt from the exhaustive check. (Optional.)
        - broken_contract_guidance:
                              Text printed after the violations. (Optional.)

    ``check()`` stores a JSON-serialisable report in ``ContractCheck.metadata``; see
    ``import_contracts.metadata`` for the schema. Violations have kind ``upward`` (a lower layer
    reaches a higher one), ``skip`` (a layer reaches a layer further down than the next one) or
    ``sibling`` (independent siblings reach each other).
    """

    type_name = CONTRACT_TYPE

    layers = fields.ListField(subfield=LayerLineField())
    containers = fields.ListField(subfield=fields.ModuleExpressionField(), required=False)
    allowed_shared_modules = fields.ListField(subfield=fields.ModuleExpressionField(), required=False)
    ignore_imports = fields.SetField(subfield=fields.ImportExpressionField(), required=False)
    unmatched_ignore_imports_alerting = fields.EnumField(AlertLevel, default=AlertLevel.ERROR)
    exhaustive = fields.BooleanField(default=False)
    exhaustive_ignores = fields.SetField(subfield=fields.StringField(), required=False)
    broken_contract_guidance = fields.TextField(required=False)

    # ------------------------------------------------------------------ configuration

    def validate(self) -> None:
        errors = unrecognised_option_errors(self)
        layer_error = _layer_lines_error(self._layer_lines)
        if layer_error:
            errors["layers"] = layer_error
        if self.exhaustive and not self.containers:
            errors["exhaustive"] = "The exhaustive option needs containers (it checks their children)."
        if errors:
            raise ContractOptionsError(errors, contract_name=self.name)

    @property
    def _layer_lines(self) -> list[ParsedLayerLine]:
        # A copy, which also shows pylint a list rather than the class-level field.
        return list(cast(list[ParsedLayerLine], self.layers))

    # ------------------------------------------------------------------ checking

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        started = time.perf_counter()
        removal = remove_contract_ignored_imports(self, graph)
        containers = self._resolve_containers(graph)
        stacks = self._resolve_stacks(graph, containers)
        self._remove_shared_modules(graph, stacks)
        undeclared = self._find_undeclared_modules(graph, containers)

        violations = []
        for signature, group in _group_by_signature(stacks).items():
            if len(signature) < 2:
                continue  # Only one layer exists in these containers: nothing can be illegal.
            dependencies = graph.find_illegal_dependencies_for_layers(
                layers=to_grimp_layers(signature),
                containers={stack.container for stack in group if stack.container} or None,
            )
            violations.extend(_classify(dependencies, group, graph))

        metadata: ContractMetadata = empty_metadata(CONTRACT_TYPE)
        metadata["violations"] = sort_violations(violations, chains_sorted=True)
        metadata["undeclared_modules"] = sorted(undeclared)
        metadata["configuration"] = {
            "layers": [
                (" | " if line.is_independent else " : ").join(
                    f"({m.name})" if m.is_optional else m.name for m in line.modules
                )
                for line in self._layer_lines
            ],
            "containers": sorted(containers),
        }
        output.verbose_print(
            verbose,
            f"{_count(len(violations), 'illegal layer dependency', 'illegal layer dependencies')} "
            f"found in {time.perf_counter() - started:.3f}s.",
        )
        return ContractCheck(
            kept=not (violations or undeclared),
            metadata=dict(metadata),
            warnings=list(removal.warnings),
            ignored_import_count=removal.ignored_import_count,
        )

    def _resolve_containers(self, graph: grimp.ImportGraph) -> list[str]:
        expressions = cast(list[ModuleExpression] | None, self.containers) or []
        root_packages = self._root_packages
        containers, problem = resolve_expressions_or_explain(graph, expressions, root_packages)
        problems = [problem] if problem else []
        for container in sorted(containers):
            if root_packages and not any(is_same_or_descendant(container, root) for root in root_packages):
                problems.append(
                    f"Invalid container '{container}': a container must be a root package "
                    f"({', '.join(root_packages)}) or inside one."
                )
        if problems:
            raise ContractOptionsError({"containers": " ".join(problems)}, contract_name=self.name)
        return sorted(containers)

    def _resolve_stacks(self, graph: grimp.ImportGraph, containers: list[str]) -> list[ContainerLayers]:
        stacks = []
        missing: list[str] = []
        for container in containers or [None]:
            stack, missing_here = resolve_container_layers(self._layer_lines, container, graph)
            stacks.append(stack)
            missing.extend(missing_here)
        if missing:
            message = missing_modules_message(missing, self._root_packages)
            message += " Wrap a layer in parentheses to make it optional."
            raise ContractOptionsError({"layers": message}, contract_name=self.name)
        return stacks

    def _remove_shared_modules(self, graph: grimp.ImportGraph, stacks: list[ContainerLayers]) -> None:
        """Take shared modules out of the graph: importing them is fine and routes through them
        are not counted."""
        expressions = cast(list[ModuleExpression] | None, self.allowed_shared_modules) or []
        shared, problem = resolve_expressions_or_explain(graph, expressions, self._root_packages)
        problems = [problem] if problem else []
        layer_modules = sorted({m for stack in stacks for layer in stack.layers for m in layer.modules})
        for module in sorted(shared):
            clashes = [layer for layer in layer_modules if is_same_or_descendant(layer, module)]
            if clashes:
                problems.append(f"'{module}' cannot be shared: it is or contains the layer {clashes[0]}.")
        if problems:
            raise ContractOptionsError(
                {"allowed_shared_modules": " ".join(problems)}, contract_name=self.name
            )
        for module in sorted(shared):
            if module_exists(graph, module):  # An ancestor removed earlier took its descendants.
                graph.remove_module(module)

    @property
    def _root_packages(self) -> list[str]:
        return list(self.session_options.get("root_packages") or [])

    def _find_undeclared_modules(self, graph: grimp.ImportGraph, containers: list[str]) -> set[str]:
        if not self.exhaustive:
            return set()
        declared = {module.name for line in self._layer_lines for module in line.modules}
        declared |= cast("set[str] | None", self.exhaustive_ignores) or set()
        return {
            child
            for container in containers
            for child in graph.find_children(container)
            if child.rpartition(".")[2] not in declared
        }

    # ------------------------------------------------------------------ rendering

    def render_broken_contract(self, check: ContractCheck) -> None:
        _rendering.render_layer_violations(check.metadata["violations"])
        _rendering.render_undeclared_modules(check.metadata["undeclared_modules"])
        render_guidance(cast("str | None", self.broken_contract_guidance))


# ---------------------------------------------------------------------- helpers


def _count(number: int, singular: str, plural: str) -> str:
    return f"{number} {singular if number == 1 else plural}"


def _layer_lines_error(lines: Sequence[ParsedLayerLine]) -> str | None:
    if len(lines) < 2:
        return f"At least two layers are needed for a layered contract (got {len(lines)})."
    names = [module.name for line in lines for module in line.modules]
    duplicated = sorted({name for name in names if names.count(name) > 1})
    if duplicated:
        return f"Modules cannot be in more than one layer: {', '.join(repr(n) for n in duplicated)}."
    for name in sorted(names):
        for other in sorted(names):
            if other != name and is_same_or_descendant(other, name):
                return (
                    f"Layer modules cannot contain each other: {name!r} contains {other!r}. "
                    "A package layer already includes all its descendants."
                )
    return None


def _group_by_signature(stacks: list[ContainerLayers]) -> dict[tuple, list[ContainerLayers]]:
    """Containers whose layer stacks have the same shape are checked with one grimp call."""
    groups: dict[tuple, list[ContainerLayers]] = {}
    for stack in stacks:
        groups.setdefault(stack.relative_signature, []).append(stack)
    return groups


def _classify(
    dependencies: Iterable[grimp.PackageDependency],
    stacks: list[ContainerLayers],
    graph: grimp.ImportGraph,
) -> list[Violation]:
    position: dict[str, tuple[int, ContainerLayers]] = {
        module: (index, stack)
        for stack in stacks
        for index, layer in enumerate(stack.layers)
        for module in layer.modules
    }
    line_numbers = LineNumberCache(graph)
    violations = []
    for dependency in dependencies:
        importer_index, stack = position[dependency.importer]
        imported_index, _ = position[dependency.imported]
        violation = _describe(
            dependency.importer, dependency.imported, importer_index, imported_index, stack.layers
        )
        violation["chains"] = chains_from_routes(dependency.routes, line_numbers)
        violations.append(violation)
    return violations


def _describe(
    importer: str,
    imported: str,
    importer_index: int,
    imported_index: int,
    layers: Sequence[ResolvedLayer],
) -> Violation:
    violation: Violation = {
        "kind": "upward",
        "importer": importer,
        "imported": imported,
        "skipped_layer": None,
        "skipped_layers": [],
        "protected_module": None,
        "hint": "",
        "chains": [],
    }
    if importer_index > imported_index:
        violation["hint"] = (
            f"invert the dependency: move what {importer} needs from {imported} into a lower "
            "layer or an allowed shared module, or pass it in from above."
        )
    elif importer_index == imported_index:
        violation["kind"] = "sibling"
        violation["hint"] = (
            f"{importer} and {imported} are independent siblings: move the shared code into a lower "
            "layer or a shared module, or separate them with ':' if they may depend on each other."
        )
    else:
        first_skipped = importer_index + 1
        skipped = [layer.display_name for layer in layers[first_skipped:imported_index]]
        violation["kind"] = "skip"
        violation["skipped_layers"] = skipped
        violation["skipped_layer"] = skipped[0] if skipped else None
        violation["hint"] = (
            f"go through {skipped[0] if skipped else 'the layer below'}, the layer directly below "
            f"{importer}, instead of reaching {imported}."
        )
    return violation
