"""SoleGatewayContract.check on hand-built grimp graphs."""

from __future__ import annotations

import copy
import json

import pytest
from _import_contracts_graphs import (
    API,
    JOBS,
    PLUGIN_MGMT,
    RUNNER,
    check_contract,
    make_graph,
    phase12_graph,
    routes,
    sole_gateway,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from importlinter.contracts.protected import ProtectedContract
from importlinter.domain.helpers import MissingImport

RUNNER_ONLY_VIA_PLUGIN_MGMT = {"protected_modules": [RUNNER], "gateway_modules": [PLUGIN_MGMT]}
PLUGINS_ONLY_VIA_RUNNER = {
    "protected_modules": ["server.app.plugins"],
    "gateway_modules": [RUNNER, "server.app.plugin_registry"],
}
ROUTES = f"{API}.routes"
UTILS = "server.app.utils"


def offenders(check) -> list[tuple[str, str]]:
    return [(v["importer"], v["imported"]) for v in check.metadata["violations"]]


@pytest.mark.parametrize(
    "extra_imports, options, expected_offenders, expected_routes",
    [
        pytest.param([], {}, [], [], id="legal-chain-kept"),
        pytest.param(
            [f"{ROUTES} -> {RUNNER}:9"], {}, [(ROUTES, RUNNER)], [[ROUTES, RUNNER]], id="direct-import"
        ),
        pytest.param(
            [f"{ROUTES} -> {UTILS}:9", f"{UTILS} -> {RUNNER}:2"],
            {},
            # The direct importer comes first: it holds the import to fix.
            [(UTILS, RUNNER), (ROUTES, RUNNER)],
            [[UTILS, RUNNER], [ROUTES, UTILS, RUNNER]],
            id="transitive-route-through-helper",
        ),
        pytest.param(
            [f"{ROUTES} -> {UTILS}:9", f"{UTILS} -> {RUNNER}:2"],
            {"transitive": "false"},
            [(UTILS, RUNNER)],
            [[UTILS, RUNNER]],
            id="direct-only-mode",
        ),
        pytest.param(
            ["server.app.main -> server.app.api.routes:1", f"{ROUTES} -> {RUNNER}:9"],
            {},
            [(ROUTES, RUNNER), ("server.app.main", RUNNER)],
            [[ROUTES, RUNNER], ["server.app.main", ROUTES, RUNNER]],
            id="every-upstream-module-is-reported",
        ),
        pytest.param(
            [f"{ROUTES} -> {JOBS}:9"],
            {},
            [],
            [],
            id="route-through-the-gateway-is-legal",
        ),
        pytest.param(
            [f"{ROUTES} -> {RUNNER}.core:9"],
            {},
            [(ROUTES, f"{RUNNER}.core")],
            [[ROUTES, f"{RUNNER}.core"]],
            id="protected-package-descendant",
        ),
        pytest.param(
            [f"{ROUTES} -> {RUNNER}.core:9"],
            {"as_packages": "false"},
            [],
            [],
            id="as-packages-false-protects-only-the-module",
        ),
        pytest.param(
            [f"{RUNNER}.core -> {RUNNER}:9"],
            {},
            [],
            [],
            id="protected-package-imports-itself",
        ),
        pytest.param(
            [f"{RUNNER}.core -> {RUNNER}:9"],
            {"as_packages": "false"},
            [(f"{RUNNER}.core", RUNNER)],
            [[f"{RUNNER}.core", RUNNER]],
            id="as-packages-false-descendant-is-an-outsider",
        ),
        pytest.param(
            [f"{PLUGIN_MGMT}.helpers -> {RUNNER}:9"],
            {},
            [],
            [],
            id="gateway-package-descendant-is-a-gateway",
        ),
        pytest.param(
            [f"{PLUGIN_MGMT}.helpers -> {RUNNER}:9"],
            {"as_packages": "false"},
            [(f"{PLUGIN_MGMT}.helpers", RUNNER)],
            [[f"{PLUGIN_MGMT}.helpers", RUNNER]],
            id="as-packages-false-gateway-descendant-is-not-a-gateway",
        ),
        pytest.param(
            [f"{ROUTES} -> {UTILS}:9", f"{UTILS} -> {RUNNER}:2"],
            {"ignore_imports": [f"{UTILS} -> {RUNNER}"]},
            [],
            [],
            id="ignoring-the-last-hop-hides-the-whole-route",
        ),
        pytest.param(
            [f"{ROUTES} -> {UTILS}:9", f"{UTILS} -> {RUNNER}:2"],
            {"ignore_imports": [f"{ROUTES} -> {UTILS}"]},
            [(UTILS, RUNNER)],
            [[UTILS, RUNNER]],
            id="ignoring-the-first-hop-keeps-the-direct-importer",
        ),
        pytest.param(
            [f"{ROUTES} -> {RUNNER}:9", f"{ROUTES} -> {RUNNER}.core:3"],
            {},
            [(ROUTES, RUNNER), (ROUTES, f"{RUNNER}.core")],
            [[ROUTES, RUNNER], [ROUTES, f"{RUNNER}.core"]],
            id="direct-importer-of-several-protected-modules-lists-each",
        ),
    ],
)
def test_runner_only_via_plugin_management(extra_imports, options, expected_offenders, expected_routes):
    contract = sole_gateway({**RUNNER_ONLY_VIA_PLUGIN_MGMT, **options})

    check = check_contract(
        contract, phase12_graph(*extra_imports, modules=[f"{RUNNER}.core", f"{PLUGIN_MGMT}.helpers"])
    )

    assert offenders(check) == expected_offenders
    assert routes(check) == expected_routes
    assert check.kept is (not expected_offenders)
    assert all(
        v["kind"] == "gateway" and v["protected_module"] == RUNNER for v in check.metadata["violations"]
    )


@pytest.mark.parametrize(
    "extra_imports, protected, expected_offenders",
    [
        pytest.param([], ["server.app.plugins"], [], id="legal"),
        pytest.param(
            [
                f"{ROUTES} -> server.app.plugin_registry:1",
                "server.app.plugin_registry -> server.app.plugins.ocr:2",
            ],
            ["server.app.plugins"],
            [],
            id="through-second-gateway",
        ),
        pytest.param(
            [f"{ROUTES} -> server.app.plugins.ocr:9"],
            ["server.app.plugins"],
            [(ROUTES, "server.app.plugins.ocr")],
            id="api-imports-a-plugin",
        ),
        pytest.param(
            ["server.app.main -> server.app.utils:1", f"{UTILS} -> server.app.plugins.base:2"],
            ["server.app.plugins.*"],
            [(UTILS, "server.app.plugins.base"), ("server.app.main", "server.app.plugins.base")],
            id="wildcard-protected",
        ),
    ],
)
def test_plugins_only_via_runner(extra_imports, protected, expected_offenders):
    contract = sole_gateway({**PLUGINS_ONLY_VIA_RUNNER, "protected_modules": protected})

    check = check_contract(contract, phase12_graph(*extra_imports))

    assert offenders(check) == expected_offenders


def test_violations_are_grouped_by_protected_root():
    contract = sole_gateway({"protected_modules": ["app.b", "app.a"], "gateway_modules": ["app.gate"]})
    graph = make_graph(["app.z -> app.a.x:1", "app.y -> app.b:2", "app.c -> app.a:3", "app.gate -> app.a:4"])

    check = check_contract(contract, graph)

    assert [(v["protected_module"], v["importer"]) for v in check.metadata["violations"]] == [
        ("app.a", "app.c"),
        ("app.a", "app.z"),
        ("app.b", "app.y"),
    ]
    assert check.metadata["configuration"] == {
        "protected_modules": ["app.a", "app.b"],
        "gateway_modules": ["app.gate"],
        "transitive": True,
        "as_packages": True,
    }


@pytest.mark.parametrize(
    "alerting, expected_warnings",
    [("none", []), ("warn", [f"No matches for ignored import {API} -> {RUNNER}."])],
)
def test_unmatched_ignore_imports_alerting(alerting, expected_warnings):
    contract = sole_gateway(
        {
            **RUNNER_ONLY_VIA_PLUGIN_MGMT,
            "ignore_imports": [f"{API} -> {RUNNER}"],
            "unmatched_ignore_imports_alerting": alerting,
        }
    )

    check = check_contract(contract, phase12_graph())

    assert check.kept and check.warnings == expected_warnings


def test_unmatched_ignore_imports_error_is_the_default():
    contract = sole_gateway({**RUNNER_ONLY_VIA_PLUGIN_MGMT, "ignore_imports": [f"{API} -> {RUNNER}"]})

    with pytest.raises(MissingImport):
        check_contract(contract, phase12_graph())


def test_direct_mode_agrees_with_builtin_protected_contract():
    graph = phase12_graph(
        f"{ROUTES} -> {UTILS}:9",
        f"{UTILS} -> {RUNNER}:2",
        f"{ROUTES} -> {RUNNER}.core:4",
        f"{JOBS} -> {RUNNER}:1",
    )
    builtin = ProtectedContract(
        name="p",
        session_options={"root_packages": ["server"]},
        contract_options={"protected_modules": [RUNNER], "allowed_importers": [PLUGIN_MGMT]},
    )
    builtin_links = {
        (link["importer"], link["imported"])
        for item in check_contract(builtin, graph).metadata["illegal_imports"]
        for link in item.illegal_links
    }

    ours = check_contract(sole_gateway({**RUNNER_ONLY_VIA_PLUGIN_MGMT, "transitive": "false"}), graph)

    assert (
        set(offenders(ours)) == builtin_links == {(UTILS, RUNNER), (ROUTES, f"{RUNNER}.core"), (JOBS, RUNNER)}
    )


def test_metadata_is_json_serialisable():
    check = check_contract(
        sole_gateway(RUNNER_ONLY_VIA_PLUGIN_MGMT),
        phase12_graph(f"{ROUTES} -> {UTILS}:9", f"{UTILS} -> {RUNNER}:2"),
    )

    loaded = json.loads(json.dumps(check.metadata))

    assert loaded["contract_type"] == "sole_gateway"
    assert loaded["violations"][1]["chains"][0]["chain"] == [
        {"importer": ROUTES, "imported": UTILS, "line_numbers": [9]},
        {"importer": UTILS, "imported": RUNNER, "line_numbers": [2]},
    ]


# Property: on random flat graphs, the offenders are exactly the modules grimp finds downstream
# of the protected modules (those importing them, directly or not) once the gateways are gone,
# and every reported route is a real, shortest, gateway-free path.
MODULES = [f"m{i}" for i in range(8)]


@settings(max_examples=60, deadline=None)
@given(
    edges=st.sets(
        st.tuples(st.sampled_from(MODULES), st.sampled_from(MODULES)).filter(lambda e: e[0] != e[1]),
        max_size=20,
    ),
    gateways=st.sets(st.sampled_from(MODULES[2:]), min_size=1, max_size=2),
)
def test_offenders_match_grimp_reachability(edges, gateways):
    protected = {"m0", "m1"}
    graph = make_graph([f"{a} -> {b}:1" for a, b in sorted(edges)], modules=MODULES)
    contract = sole_gateway(
        {"protected_modules": sorted(protected), "gateway_modules": sorted(gateways), "as_packages": "false"},
        MODULES,
    )

    check = check_contract(contract, graph)

    without_gateways = copy.deepcopy(graph)
    for gateway in gateways:
        without_gateways.remove_module(gateway)
    upstream = set().union(*(without_gateways.find_downstream_modules(p) for p in protected)) - protected
    assert {v["importer"] for v in check.metadata["violations"]} == upstream
    for route in routes(check):
        assert route[-1] in protected and not set(route) & gateways
        assert all(graph.direct_import_exists(importer=a, imported=b) for a, b in zip(route, route[1:]))
        shortest = min(
            len(without_gateways.find_shortest_chain(route[0], p) or MODULES * 2) for p in protected
        )
        assert len(route) == shortest
