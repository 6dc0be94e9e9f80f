"""Turning grimp routes into metadata chains (the part of a check that grows with the routes)."""

from __future__ import annotations

import grimp
from _import_contracts_graphs import make_graph

from import_contracts.metadata import (
    LineNumberCache,
    chain_from_route,
    chain_sort_key,
    chains_from_routes,
)

GRAPH = make_graph(
    [
        "app.api.a -> app.runner.x:3",
        "app.api.a -> app.runner.x:7",
        "app.api.b -> app.utils:4",
        "app.api.c -> app.utils:5",
        "app.utils -> app.helpers",
        "app.helpers -> app.runner.x:2",
        "app.helpers -> app.runner.y:6",
        "app.api.c -> app.runner.y:1",
    ]
)

ROUTES = [
    grimp.Route(heads=frozenset({"app.api.c"}), middle=(), tails=frozenset({"app.runner.y"})),
    grimp.Route(
        heads=frozenset({"app.api.c", "app.api.b"}),
        middle=("app.utils", "app.helpers"),
        tails=frozenset({"app.runner.y", "app.runner.x"}),
    ),
    grimp.Route(heads=frozenset({"app.api.a"}), middle=(), tails=frozenset({"app.runner.x"})),
    # Not produced by grimp (direct routes have one head and one tail), but accepted: the extra
    # modules of a route without a middle are dropped, as by import-linter's own builder.
    grimp.Route(
        heads=frozenset({"app.api.c", "app.api.a"}), middle=(), tails=frozenset({"app.runner.x"})
    ),
]


def test_chains_from_routes_matches_chain_from_route_sorted():
    expected = sorted(
        (chain_from_route(route, LineNumberCache(GRAPH)) for route in ROUTES), key=chain_sort_key
    )
    assert chains_from_routes(ROUTES, LineNumberCache(GRAPH)) == expected
    assert chains_from_routes(reversed(ROUTES), LineNumberCache(GRAPH)) == expected


def test_chain_with_fan_in_fan_out_and_line_numbers():
    (chain,) = chains_from_routes([ROUTES[1]], LineNumberCache(GRAPH))
    assert chain == {
        "chain": [
            {"importer": "app.api.b", "imported": "app.utils", "line_numbers": [4]},
            {"importer": "app.utils", "imported": "app.helpers", "line_numbers": [None]},
            {"importer": "app.helpers", "imported": "app.runner.x", "line_numbers": [2]},
        ],
        "extra_firsts": [{"importer": "app.api.c", "imported": "app.utils", "line_numbers": [5]}],
        "extra_lasts": [{"importer": "app.helpers", "imported": "app.runner.y", "line_numbers": [6]}],
    }


def test_direct_chains_and_several_lines():
    chains = chains_from_routes([ROUTES[3], ROUTES[2]], LineNumberCache(GRAPH))
    assert [chain["chain"] for chain in chains] == [
        [{"importer": "app.api.a", "imported": "app.runner.x", "line_numbers": [3, 7]}],
        [{"importer": "app.api.a", "imported": "app.runner.x", "line_numbers": [3, 7]}],
    ]
    assert all(chain["extra_firsts"] == chain["extra_lasts"] == [] for chain in chains)


def test_line_number_cache_looks_each_import_up_once():
    calls = []

    class CountingGraph:
        def get_import_details(self, *, importer, imported):
            calls.append((importer, imported))
            return GRAPH.get_import_details(importer=importer, imported=imported)

    cache = LineNumberCache(CountingGraph())
    chains_from_routes(ROUTES, cache)
    assert len(calls) == len(set(calls))
    assert cache["app.api.a", "app.runner.x"] == [3, 7]
