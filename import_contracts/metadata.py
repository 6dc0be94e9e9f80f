"""The structured, JSON-serialisable result our contracts store in ``ContractCheck.metadata``.

Other code (the ``phase12 audit`` command, CI annotators) reads this instead of parsing
``lint-imports`` output. Only built-in types are used (dict, list, str, int, None), so
``json.dumps(check.metadata)`` always works and the structure is stable across Python versions.

Schema (``SCHEMA_VERSION`` 1)::

    {
      "schema_version": 1,
      "contract_type": "strict_layers" | "sole_gateway",
      "violations": [Violation, ...],      # sorted, see sort_violations()
      "undeclared_modules": [str, ...],    # strict_layers with exhaustive = true, else []
      "configuration": {...},              # the resolved options, for report headers:
          # strict_layers: {"layers": [str], "containers": [str]}
          # sole_gateway:  {"protected_modules": [str], "gateway_modules": [str],
          #                 "transitive": bool, "as_packages": bool}
    }

    Violation = {
      "kind": "upward" | "skip" | "sibling" | "gateway",
      "importer": str,             # layer module (strict_layers) / offending module (sole_gateway)
      "imported": str,             # layer module / protected module that is reached
      "skipped_layer": str | None, # skip only: the layer directly below the importer, which
                                   # the dependency should have gone through
      "skipped_layers": [str],     # skip only: every layer bypassed, highest first
      "protected_module": str | None,  # gateway only: the protected_modules entry (resolved)
                                       # that contains "imported"
      "hint": str,                 # one line on how to fix it
      "chains": [Chain, ...],      # at least one; each is one illegal import route
    }

    Chain = {
      "chain": [Link, ...],        # the route; it starts in the importer or, for a package
                                   # layer, in a module inside it
      "extra_firsts": [Link, ...], # other importers of the route's second module (fan-in)
      "extra_lasts": [Link, ...],  # other modules imported by its next-to-last module (fan-out)
    }

    Link = {"importer": str, "imported": str, "line_numbers": [int | None, ...]}

A layer with several modules (``a | b``) is written as the module names joined by `` | ``
(independent) or `` : `` (not independent). ``line_numbers`` holds ``null`` when the graph has no
line information for that import (hand-built graphs). Every module name is a dotted module
name from the import graph; mapping it to a file is left to the caller.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, Literal, TypedDict

SCHEMA_VERSION = 1

ViolationKind = Literal["upward", "skip", "sibling", "gateway"]

# Upward imports invert the architecture, so they are listed first; then skips, siblings and
# gateway bypasses.
_KIND_ORDER: dict[str, int] = {"upward": 0, "skip": 1, "sibling": 2, "gateway": 3}


class Link(TypedDict):
    """One import of a chain, with its line numbers."""
    importer: str
    imported: str
    line_numbers: list[int | None]


class Chain(TypedDict):
    """An illegal import chain, as import-linter reports it."""
    chain: list[Link]
    extra_firsts: list[Link]
    extra_lasts: list[Link]


class Violation(TypedDict):
    """One broken rule of a contract, in the machine-readable metadata."""
    kind: ViolationKind
    importer: str
    imported: str
    skipped_layer: str | None
    skipped_layers: list[str]
    protected_module: str | None
    hint: str
    chains: list[Chain]


class ContractMetadata(TypedDict):
    """The machine-readable result of a contract check (schema-versioned)."""
    schema_version: int
    contract_type: str
    violations: list[Violation]
    undeclared_modules: list[str]
    configuration: dict[str, Any]


def chain_from_route(route: Any, line_numbers: Mapping[tuple[str, str], list[int | None]]) -> Chain:
    """Our ``Chain`` for a grimp ``Route`` (``heads``, ``middle``, ``tails``).

    Same result as import-linter's ``build_detailed_chain_from_route``: the main chain runs from
    the first head (sorted) through the middle to the first tail; other heads and tails become
    ``extra_firsts``/``extra_lasts``. ``line_numbers[(importer, imported)]`` supplies the lines;
    pass a memoising mapping (``LineNumberCache``), since routes share many imports.
    """
    return _keyed_chain_from_route(route, line_numbers)[1]


def chains_from_routes(
    routes: Iterable[Any], line_numbers: Mapping[tuple[str, str], list[int | None]]
) -> list[Chain]:
    """``chain_from_route`` for every route, already in ``chain_sort_key`` order.

    The sort key comes straight from the route's modules, which is cheaper than rebuilding it
    from the finished chains (closed-layer queries return hundreds of routes).
    """
    keyed = [_keyed_chain_from_route(route, line_numbers) for route in routes]
    keyed.sort(key=_first)
    return [chain for _, chain in keyed]


def _first(item: tuple[tuple, Chain]) -> tuple:
    return item[0]


def _keyed_chain_from_route(
    route: Any, line_numbers: Mapping[tuple[str, str], list[int | None]]
) -> tuple[tuple, Chain]:
    """The chain and its ``chain_sort_key`` (route length, then the modules along it).

    Tuples and lists of strings compare alike, so the key orders chains exactly as
    ``chain_sort_key`` does.
    """
    middle = tuple(route.middle)
    if not middle and len(route.heads) == 1 and len(route.tails) == 1:
        # A direct import: most routes in practice, and the cheap case.
        ((head,), (tail,)) = (route.heads, route.tails)
        link: Link = {"importer": head, "imported": tail, "line_numbers": line_numbers[head, tail]}
        return (1, (head, tail)), {"chain": [link], "extra_firsts": [], "extra_lasts": []}
    heads, tails = sorted(route.heads), sorted(route.tails)
    modules = (heads[0], *middle, tails[0])
    links: list[Link] = [
        {"importer": a, "imported": b, "line_numbers": line_numbers[a, b]}
        for a, b in zip(modules, modules[1:])
    ]
    extra_firsts: list[Link] = []
    extra_lasts: list[Link] = []
    if middle:  # grimp gives direct imports one route each, so only longer routes fan in/out.
        first, last = middle[0], middle[-1]
        if len(heads) > 1:
            extra_firsts = [
                {"importer": head, "imported": first, "line_numbers": line_numbers[head, first]}
                for head in heads[1:]
            ]
        if len(tails) > 1:
            extra_lasts = [
                {"importer": last, "imported": tail, "line_numbers": line_numbers[last, tail]}
                for tail in tails[1:]
            ]
    return (len(links), modules), {"chain": links, "extra_firsts": extra_firsts, "extra_lasts": extra_lasts}


class LineNumberCache(dict):
    """``cache[(importer, imported)]`` -> sorted line numbers, looked up in the graph once.

    A dict with ``__missing__``, so repeated imports (closed-layer routes share many) cost a
    plain dict lookup. The lists are shared between links: treat metadata as read-only.
    """

    def __init__(self, graph: Any) -> None:
        super().__init__()
        self._get_import_details = graph.get_import_details

    def __missing__(self, key: tuple[str, str]) -> list[int | None]:
        details = self._get_import_details(importer=key[0], imported=key[1])
        if len(details) == 1 and details[0]["line_number"] is not None:
            numbers: list[int | None] = [details[0]["line_number"]]  # the usual case
        else:
            numbers = sorted_line_numbers([detail["line_number"] for detail in details])
        self[key] = numbers
        return numbers


def sorted_line_numbers(line_numbers: Iterable[int | None]) -> list[int | None]:
    """Sorted, de-duplicated line numbers; ``[None]`` when none is known."""
    given = set(line_numbers)
    if None not in given and given:
        return sorted(given)  # type: ignore[type-var]  # the common case: all known
    known: list[int | None] = sorted(n for n in given if n is not None)
    return [*known, None]


def chain_from_modules(modules: Sequence[str], line_numbers: Sequence[Sequence[int | None]]) -> Chain:
    """A plain chain (no fan-in/fan-out) from a module path and the line numbers of each hop."""
    links: list[Link] = [
        {"importer": importer, "imported": imported, "line_numbers": sorted_line_numbers(numbers)}
        for importer, imported, numbers in zip(modules, modules[1:], line_numbers)
    ]
    return {"chain": links, "extra_firsts": [], "extra_lasts": []}


def to_detailed_chain(chain: Chain) -> dict[str, Any]:
    """Our ``Chain`` back into the shape import-linter's chain renderer expects."""

    def convert(links: list[Link]) -> list[dict[str, Any]]:
        return [
            {
                "importer": link["importer"],
                "imported": link["imported"],
                "line_numbers": tuple(link["line_numbers"]),
            }
            for link in links
        ]

    return {
        "chain": convert(chain["chain"]),
        "extra_firsts": convert(chain["extra_firsts"]),
        "extra_lasts": convert(chain["extra_lasts"]),
    }


def chain_sort_key(chain: Chain) -> tuple:
    """Shorter routes first, then alphabetical by the modules along the route."""
    route = chain["chain"]
    modules = [route[0]["importer"], *(link["imported"] for link in route)]
    return (len(route), modules)


def sort_violations(violations: Iterable[Violation], chains_sorted: bool = False) -> list[Violation]:
    """Deterministic order, chains sorted within each violation.

    Layer violations: by kind (upward, skip, sibling), importer, imported. Gateway violations:
    by protected module, then shortest route first (the direct importers, which are the
    imports to fix), then importer and imported. Pass ``chains_sorted=True`` when every
    violation's chains are already in ``chain_sort_key`` order (``chains_from_routes``).
    """
    ordered = []
    for violation in violations:
        if not chains_sorted:
            violation["chains"] = sorted(violation["chains"], key=chain_sort_key)
        ordered.append(violation)
    return sorted(ordered, key=_violation_sort_key)


def _violation_sort_key(violation: Violation) -> tuple:
    route_length = len(violation["chains"][0]["chain"]) if violation["kind"] == "gateway" else 0
    return (
        _KIND_ORDER[violation["kind"]],
        violation["protected_module"] or "",
        route_length,
        violation["importer"],
        violation["imported"],
    )


def iter_links(violation: Violation) -> Iterator[Link]:
    """Every direct import named by a violation (main chains, then fan-in/fan-out links).

    Useful for evidence: ``link["importer"]`` is the module whose file contains the import at
    ``link["line_numbers"]``.
    """
    for chain in violation["chains"]:
        yield from chain["chain"]
        yield from chain["extra_firsts"]
        yield from chain["extra_lasts"]


def empty_metadata(contract_type: str) -> ContractMetadata:
    return {
        "schema_version": SCHEMA_VERSION,
        "contract_type": contract_type,
        "violations": [],
        "undeclared_modules": [],
        "configuration": {},
    }
