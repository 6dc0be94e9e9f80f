"""The one place that touches import-linter internals.

import-linter's public API is ``Contract``, ``ContractCheck``, ``fields`` and ``output``.
Our contracts also need a few things that upstream documents as "not a public API":
the layer-line parser (``LayerField``), the ignore-imports helpers (``contract_utils``), the
chain renderer (``contracts._common``), the ``MissingImport`` exception (``domain.helpers``) and
the expression value objects (``domain.imports``).

Everything of that kind is imported here and re-exported through small, typed wrappers, so an
upstream change breaks this module only. Written against import-linter 2.16 / grimp 3.19 and
tested with 2.15 / grimp 3.18 too (the last releases for Python 3.10): ``import-linter>=2.15,<3``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

import grimp
from importlinter.application import contract_utils as _contract_utils
from importlinter.application.contract_utils import AlertLevel
from importlinter.contracts import _common
from importlinter.contracts.layers import LayerField as _UpstreamLayerField
from importlinter.domain import fields
from importlinter.domain.contract import InvalidContractOptions
from importlinter.domain.helpers import MissingImport
from importlinter.domain.imports import ImportExpression, ModuleExpression

__all__ = [
    "AlertLevel",
    "ImportExpression",
    "InvalidContractOptions",
    "LayerLineField",
    "MissingImport",
    "ModuleExpression",
    "ParsedLayerLine",
    "ParsedLayerModule",
    "remove_ignored_imports",
    "render_chain",
    "render_guidance",
]


@dataclass(frozen=True)
class ParsedLayerModule:
    """One module named on a layer line: ``name`` or ``(name)`` when optional."""

    name: str
    is_optional: bool


@dataclass(frozen=True)
class ParsedLayerLine:
    """One line of a ``layers`` option, e.g. ``a | b`` (independent) or ``a : b``."""

    modules: tuple[ParsedLayerModule, ...]
    is_independent: bool


class LayerLineField(fields.Field):
    """Parses one layer line with exactly the built-in ``layers`` contract's syntax.

    Delegates to upstream's ``LayerField`` (so ``|``, ``:`` and ``(optional)`` behave the same
    as in the built-in contract) and converts its result into our own frozen dataclasses, which
    the rest of the package depends on instead of upstream's ``Layer``/``ModuleTail``.
    """

    def parse(self, raw_data: str | list) -> ParsedLayerLine:
        upstream_layer = _UpstreamLayerField().parse(raw_data)
        _reject_repeated_modules(fields.StringField().parse(raw_data))
        modules = tuple(
            sorted(
                (
                    ParsedLayerModule(name=tail.name, is_optional=tail.is_optional)
                    for tail in upstream_layer.module_tails
                ),
                key=lambda module: module.name,
            )
        )
        for module in modules:
            # Upstream accepts "a |" or "()" and yields an empty name; grimp would then
            # silently ignore the layer, so reject it here.
            if not module.name or any(not part for part in module.name.split(".")):
                raise fields.ValidationError(f"Invalid module name in layer: {raw_data!r}.")
        return ParsedLayerLine(modules=modules, is_independent=upstream_layer.is_independent)


def _reject_repeated_modules(raw_string: str) -> None:
    """``a | a``: upstream rejects it from 2.16 on; 2.15 (last for Python 3.10) merges silently."""
    names = [part.strip().strip("()").strip() for part in re.split(r"[|:]", raw_string)]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        modules = ", ".join(repr(name) for name in repeated)
        raise fields.ValidationError(f"Modules cannot be repeated in a layer: {modules}.")


@dataclass(frozen=True)
class IgnoredImportsResult:
    """What ``remove_ignored_imports`` did to the graph."""

    ignored_import_count: int
    warnings: tuple[str, ...]


def remove_ignored_imports(
    graph: grimp.ImportGraph,
    ignore_imports: Iterable[ImportExpression] | None,
    unmatched_alerting: AlertLevel,
) -> IgnoredImportsResult:
    """Remove ignored imports from ``graph`` with the built-in contracts' semantics.

    Unmatched expressions are silent (``none``), become warnings (``warn``) or raise
    ``MissingImport`` (``error``), which aborts the whole ``lint-imports`` run.
    """
    removal = _contract_utils.remove_ignored_imports_and_report(
        graph=graph,
        ignore_imports=sorted(ignore_imports or [], key=str),
        unmatched_alerting=unmatched_alerting,
    )
    return IgnoredImportsResult(
        ignored_import_count=removal.ignored_import_count, warnings=tuple(removal.warnings)
    )


def remove_contract_ignored_imports(contract: Any, graph: grimp.ImportGraph) -> IgnoredImportsResult:
    """``remove_ignored_imports`` with a contract's own ``ignore_imports`` and
    ``unmatched_ignore_imports_alerting`` options, as every contract of this package declares."""
    return remove_ignored_imports(
        graph,
        cast("Iterable[ImportExpression] | None", contract.ignore_imports),
        cast(AlertLevel, contract.unmatched_ignore_imports_alerting),
    )


def render_chain(detailed_chain: dict[str, Any]) -> None:
    """Print a chain exactly like the built-in contracts (``- a -> b (l.3)`` lines)."""
    _common.render_chain_data(detailed_chain)  # type: ignore[arg-type]


def render_guidance(broken_contract_guidance: str | None) -> None:
    """Print the user's ``broken_contract_guidance`` text, if any."""
    _contract_utils.render_broken_contract_guidance(broken_contract_guidance)
