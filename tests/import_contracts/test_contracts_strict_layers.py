"""StrictLayersContract.check on hand-built grimp graphs."""

from __future__ import annotations

import json

import grimp
import pytest
from _import_contracts_graphs import (
    ANALYSIS,
    API,
    JOBS,
    PHASE12_LAYERS,
    PLUGIN_MGMT,
    RUNNER,
    check_contract,
    make_graph,
    phase12_graph,
    routes,
    strict_layers,
    summarise,
)
from importlinter.contracts.layers import LayersContract
from importlinter.domain.helpers import MissingImport

ALL_BELOW_API = [ANALYSIS, JOBS, PLUGIN_MGMT]


@pytest.mark.parametrize(
    "extra_imports, options, expected, expected_routes",
    [
        pytest.param([], {}, [], [], id="legal-chain-kept"),
        pytest.param(
            [f"{API}.routes -> {RUNNER}:9"],
            {},
            [("skip", API, RUNNER, ALL_BELOW_API)],
            [[f"{API}.routes", RUNNER]],
            id="api-imports-runner-directly",
        ),
        pytest.param(
            [f"{API}.routes -> server.app.utils:9", f"server.app.utils -> {RUNNER}:2"],
            {},
            [("skip", API, RUNNER, ALL_BELOW_API)],
            [[f"{API}.routes", "server.app.utils", RUNNER]],
            id="api-reaches-runner-through-non-layer-helper",
        ),
        pytest.param(
            [f"{ANALYSIS} -> {PLUGIN_MGMT}:9"],
            {},
            [("skip", ANALYSIS, PLUGIN_MGMT, [JOBS])],
            [[ANALYSIS, PLUGIN_MGMT]],
            id="skip-of-one-layer-names-it",
        ),
        pytest.param(
            [f"{ANALYSIS} -> {RUNNER}:9"],
            {},
            # api -> analysis -> runner is reported once, on the analysis -> runner edge.
            [("skip", ANALYSIS, RUNNER, [JOBS, PLUGIN_MGMT])],
            [[ANALYSIS, RUNNER]],
            id="skip-below-is-not-blamed-on-higher-layer",
        ),
        pytest.param(
            [f"{RUNNER} -> {API}:9"],
            {},
            [("upward", RUNNER, API, [])],
            [[RUNNER, API]],
            id="upward-direct",
        ),
        pytest.param(
            ["server.app.error_envelope -> server.app.api.schemas:3"],
            {},
            [("upward", RUNNER, API, [])],
            [[RUNNER, "server.app.error_envelope", "server.app.api.schemas"]],
            id="upward-through-shared-helper",
        ),
        pytest.param(
            ["server.app.error_envelope -> server.app.api.schemas:3"],
            {"allowed_shared_modules": ["server.app.error_envelope"]},
            [],
            [],
            id="allowed-shared-module-routes-are-not-counted",
        ),
        pytest.param(
            [f"{API}.routes -> server.app.utils:9", f"server.app.utils -> {RUNNER}:2"],
            {"allowed_shared_modules": ["server.app.utils"]},
            [],
            [],
            id="allowed-shared-module-hides-skip-through-it",
        ),
        pytest.param(
            [f"{API}.routes -> {RUNNER}.errors:9"],
            {"allowed_shared_modules": [f"{RUNNER}.errors"]},
            [],
            [],
            id="shared-module-inside-a-layer-package-may-be-imported-by-any-layer",
        ),
        pytest.param(
            [f"{API}.routes -> {RUNNER}.errors:9", f"{API}.routes -> {RUNNER}.core:10"],
            {"allowed_shared_modules": [f"{RUNNER}.errors"]},
            [("skip", API, RUNNER, ALL_BELOW_API)],
            [[f"{API}.routes", f"{RUNNER}.core"]],
            id="only-the-shared-part-of-a-layer-package-is-exempt",
        ),
        pytest.param(
            [f"{API}.v1.routes -> {JOBS}:9"],
            {},
            [("skip", API, JOBS, [ANALYSIS])],
            [[f"{API}.v1.routes", JOBS]],
            id="package-layer-descendant-importing-module-layer",
        ),
        pytest.param(
            [f"{API}.routes -> server.app.services:9", f"server.app.services -> {JOBS}:1"],
            {},
            [("skip", API, JOBS, [ANALYSIS])],
            [[f"{API}.routes", "server.app.services", JOBS]],
            id="re-export-hub-in-parent-package-is-a-route",
        ),
        pytest.param(
            [f"{API}.routes -> {RUNNER}:9"],
            {"ignore_imports": [f"{API}.routes -> {RUNNER}"]},
            [],
            [],
            id="ignored-import",
        ),
        pytest.param(
            [f"{API}.routes -> {RUNNER}:9", f"{API}.admin -> {RUNNER}:3"],
            {"ignore_imports": [f"{API}.* -> {RUNNER}"]},
            [],
            [],
            id="ignored-import-wildcard",
        ),
        pytest.param(
            [f"{RUNNER} -> {API}:9", f"{API}.routes -> {PLUGIN_MGMT}:9"],
            {},
            [("upward", RUNNER, API, []), ("skip", API, PLUGIN_MGMT, [ANALYSIS, JOBS])],
            [[RUNNER, API], [f"{API}.routes", PLUGIN_MGMT]],
            id="upward-reported-before-skip",
        ),
    ],
)
def test_phase12_chain(extra_imports, options, expected, expected_routes):
    contract = strict_layers({"layers": PHASE12_LAYERS, **options})

    check = check_contract(contract, phase12_graph(*extra_imports))

    assert summarise(check) == expected
    assert routes(check) == expected_routes
    assert check.kept is (not expected)


def test_skip_names_the_layer_directly_below_as_the_skipped_layer():
    check = check_contract(
        strict_layers({"layers": PHASE12_LAYERS}), phase12_graph(f"{API}.routes -> {RUNNER}:9")
    )

    (violation,) = check.metadata["violations"]
    assert violation["skipped_layer"] == ANALYSIS
    assert ANALYSIS in violation["hint"]


def test_line_numbers_of_every_hop_are_reported():
    graph = phase12_graph(f"{API}.routes -> server.app.utils:9", f"server.app.utils -> {RUNNER}:2")
    graph.add_import(importer="server.app.utils", imported=RUNNER, line_number=14, line_contents="import x")

    check = check_contract(strict_layers({"layers": PHASE12_LAYERS}), graph)

    (violation,) = check.metadata["violations"]
    assert violation["chains"][0]["chain"] == [
        {"importer": f"{API}.routes", "imported": "server.app.utils", "line_numbers": [9]},
        {"importer": "server.app.utils", "imported": RUNNER, "line_numbers": [2, 14]},
    ]


def test_fan_in_is_kept_as_extra_firsts():
    graph = phase12_graph(
        f"{API}.routes -> server.app.utils:9",
        f"{API}.admin -> server.app.utils:4",
        f"server.app.utils -> {RUNNER}:2",
    )

    check = check_contract(strict_layers({"layers": PHASE12_LAYERS}), graph)

    (chain,) = check.metadata["violations"][0]["chains"]
    importers = {chain["chain"][0]["importer"], *(link["importer"] for link in chain["extra_firsts"])}
    assert importers == {f"{API}.routes", f"{API}.admin"}


SIBLING_LAYERS = ["app.top", "app.a | app.b", "app.bottom"]
SIBLING_MODULES = ["app.top", "app.a", "app.b", "app.bottom"]
OPTIONAL_LAYERS = ["app.top", "(app.middle)", "app.bottom"]


@pytest.mark.parametrize(
    "layers, modules, imports, expected",
    [
        pytest.param(
            SIBLING_LAYERS,
            SIBLING_MODULES,
            ["app.top -> app.a", "app.a -> app.bottom", "app.top -> app.b"],
            [],
            id="legal",
        ),
        pytest.param(
            SIBLING_LAYERS,
            SIBLING_MODULES,
            ["app.a -> app.b"],
            [("sibling", "app.a", "app.b", [])],
            id="independent-siblings",
        ),
        pytest.param(
            ["app.top", "app.a : app.b", "app.bottom"],
            SIBLING_MODULES,
            ["app.a -> app.b", "app.b -> app.a"],
            [],
            id="non-independent",
        ),
        pytest.param(
            SIBLING_LAYERS,
            SIBLING_MODULES,
            ["app.top -> app.bottom"],
            [("skip", "app.top", "app.bottom", ["app.a | app.b"])],
            id="skip-sibling-layer",
        ),
        pytest.param(
            ["app.top", "app.a : app.b", "app.bottom"],
            SIBLING_MODULES,
            ["app.top -> app.bottom"],
            [("skip", "app.top", "app.bottom", ["app.a : app.b"])],
            id="skip-non-independent-layer",
        ),
        pytest.param(
            OPTIONAL_LAYERS,
            ["app.top", "app.bottom"],
            ["app.top -> app.bottom"],
            [],
            id="absent-optional-layer-is-not-a-barrier",
        ),
        pytest.param(
            OPTIONAL_LAYERS,
            ["app.top", "app.middle", "app.bottom"],
            ["app.top -> app.bottom"],
            [("skip", "app.top", "app.bottom", ["app.middle"])],
            id="present-optional-layer-is-a-barrier",
        ),
        pytest.param(
            ["app.top", "app.a | (app.b)", "app.bottom"],
            ["app.top", "app.a", "app.bottom"],
            ["app.top -> app.bottom"],
            [("skip", "app.top", "app.bottom", ["app.a"])],
            id="absent-optional-sibling",
        ),
        pytest.param(
            ["app.top", "app.bottom"],
            ["app.top", "app.bottom"],
            ["app.top -> app.bottom"],
            [],
            id="two-layers-downward",
        ),
        pytest.param(
            ["app.top", "app.bottom"],
            ["app.top", "app.bottom"],
            ["app.bottom -> app.top"],
            [("upward", "app.bottom", "app.top", [])],
            id="two-layers-upward",
        ),
    ],
)
def test_siblings_and_optional_layers(layers, modules, imports, expected):
    check = check_contract(strict_layers({"layers": layers}, ["app"]), make_graph(imports, modules=modules))

    assert summarise(check) == expected


CONTAINER_LAYERS = ["api", "(domain)", "data"]


@pytest.mark.parametrize(
    "containers, imports, expected",
    [
        pytest.param(
            ["shop.orders", "shop.billing"],
            ["shop.orders.api -> shop.orders.data", "shop.billing.api -> shop.billing.data"],
            # orders has a domain layer, billing does not: only orders skips.
            [("skip", "shop.orders.api", "shop.orders.data", ["shop.orders.domain"])],
            id="optional-layer-present-in-one-container-only",
        ),
        pytest.param(
            ["shop.*"],
            ["shop.orders.data -> shop.orders.api", "shop.billing.api -> shop.billing.data"],
            [("upward", "shop.orders.data", "shop.orders.api", [])],
            id="wildcard-containers",
        ),
        pytest.param(
            ["shop.orders", "shop.billing"],
            ["shop.orders.api -> shop.billing.data"],
            [],
            id="imports-across-containers-are-out-of-scope",
        ),
    ],
)
def test_containers(containers, imports, expected):
    graph = make_graph(
        imports,
        modules=[
            "shop.orders.domain",
            "shop.orders.api",
            "shop.orders.data",
            "shop.billing.api",
            "shop.billing.data",
        ],
    )

    check = check_contract(
        strict_layers({"layers": CONTAINER_LAYERS, "containers": containers}, ["shop"]), graph
    )

    assert summarise(check) == expected


@pytest.mark.parametrize(
    "options, expected_undeclared",
    [
        pytest.param({}, ["shop.orders.helpers"], id="undeclared-child"),
        pytest.param({"exhaustive_ignores": ["helpers"]}, [], id="ignored-child"),
        pytest.param(
            {"allowed_shared_modules": ["shop.orders.helpers"]}, [], id="shared-child-counts-as-declared"
        ),
    ],
)
def test_exhaustive(options, expected_undeclared):
    graph = make_graph(modules=["shop.orders.api", "shop.orders.data", "shop.orders.helpers"])
    contract = strict_layers(
        {"layers": ["api", "data"], "containers": ["shop.orders"], "exhaustive": "true", **options}, ["shop"]
    )

    check = check_contract(contract, graph)

    assert check.metadata["undeclared_modules"] == expected_undeclared
    assert check.kept is (not expected_undeclared)


@pytest.mark.parametrize(
    "alerting, expected_warnings",
    [
        ("none", []),
        ("warn", [f"No matches for ignored import {API}.routes -> {JOBS}."]),
    ],
)
def test_unmatched_ignore_imports_alerting(alerting, expected_warnings):
    contract = strict_layers(
        {
            "layers": PHASE12_LAYERS,
            "ignore_imports": [f"{API}.routes -> {RUNNER}", f"{API}.routes -> {JOBS}"],
            "unmatched_ignore_imports_alerting": alerting,
        }
    )

    check = check_contract(contract, phase12_graph(f"{API}.routes -> {RUNNER}:9"))

    assert check.kept
    assert check.warnings == expected_warnings
    assert check.ignored_import_count == 1


def test_unmatched_ignore_imports_error_is_the_default():
    contract = strict_layers({"layers": PHASE12_LAYERS, "ignore_imports": [f"{API}.routes -> {JOBS}"]})

    with pytest.raises(MissingImport, match="No matches for ignored import"):
        check_contract(contract, phase12_graph())


def test_check_does_not_mutate_the_callers_graph():
    graph = phase12_graph(f"{API}.routes -> {RUNNER}:9")
    contract = strict_layers(
        {
            "layers": PHASE12_LAYERS,
            "ignore_imports": [f"{API}.routes -> {RUNNER}"],
            "allowed_shared_modules": ["server.app.utils"],
        }
    )

    check_contract(contract, graph)

    assert graph.direct_import_exists(importer=f"{API}.routes", imported=RUNNER)
    assert "server.app.utils" in graph.modules


@pytest.mark.parametrize(
    "extra_imports",
    [
        [f"{API}.routes -> {RUNNER}:9"],
        [f"{API}.routes -> server.app.utils:9", f"server.app.utils -> {RUNNER}:2"],
        [f"{ANALYSIS} -> {PLUGIN_MGMT}:9"],
    ],
    ids=["direct", "through-helper", "analysis-to-plugin-management"],
)
def test_builtin_layers_contract_keeps_what_strict_layers_breaks(extra_imports):
    graph = phase12_graph(*extra_imports)
    builtin = LayersContract(
        name="b", session_options={"root_packages": ["server"]}, contract_options={"layers": PHASE12_LAYERS}
    )

    assert check_contract(builtin, graph).kept
    assert not check_contract(strict_layers({"layers": PHASE12_LAYERS}), graph).kept


@pytest.mark.parametrize(
    "extra_imports",
    [
        [f"{RUNNER} -> {API}:9"],
        [
            f"{JOBS} -> server.app.utils:1",
            f"server.app.utils -> {ANALYSIS}:2",
            f"{PLUGIN_MGMT} -> {API}.routes:3",
        ],
        ["server.app.error_envelope -> server.app.api:1"],
    ],
    ids=["direct", "through-helper-and-direct", "through-shared-module"],
)
def test_upward_violations_match_the_builtin_layers_contract(extra_imports):
    graph = phase12_graph(*extra_imports)
    builtin = LayersContract(
        name="b", session_options={"root_packages": ["server"]}, contract_options={"layers": PHASE12_LAYERS}
    )

    builtin_pairs = {
        (d["importer"], d["imported"])
        for d in check_contract(builtin, graph).metadata["invalid_dependencies"]
    }
    ours = check_contract(strict_layers({"layers": PHASE12_LAYERS}), graph)
    upward_pairs = {
        (v["importer"], v["imported"]) for v in ours.metadata["violations"] if v["kind"] == "upward"
    }

    assert builtin_pairs and upward_pairs == builtin_pairs


def test_metadata_is_json_serialisable_and_stable():
    graph = phase12_graph(
        f"{API}.routes -> {RUNNER}:9",
        f"{API}.routes -> server.app.utils:9",
        f"server.app.utils -> {RUNNER}:2",
        f"{RUNNER} -> {API}:4",
    )
    contract = strict_layers({"layers": PHASE12_LAYERS})

    first = json.dumps(check_contract(contract, graph).metadata, sort_keys=True)
    second = json.dumps(check_contract(contract, graph).metadata, sort_keys=True)

    assert first == second
    loaded = json.loads(first)
    assert loaded["schema_version"] == 1
    assert loaded["contract_type"] == "strict_layers"
    assert [v["kind"] for v in loaded["violations"]] == ["upward", "skip"]
    assert loaded["configuration"]["layers"] == PHASE12_LAYERS


def _write_package(root, files: dict[str, str]) -> None:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


@pytest.mark.parametrize("with_init_files", [False, True], ids=["namespace-packages", "regular-packages"])
def test_real_graph_with_module_and_package_layers(tmp_path, monkeypatch, with_init_files):
    package = f"ns12_{'regular' if with_init_files else 'namespace'}"
    files = {
        f"{package}/app/api/routes.py": (
            f"from {package}.app.services import analysis_service\n"
            f"from {package}.app.services import tool_runner\n"
        ),
        f"{package}/app/services/analysis_service.py": f"from {package}.app.services import tool_runner\n",
        f"{package}/app/services/tool_runner/core.py": "RUNNING = True\n",
    }
    if with_init_files:
        for directory in ["", "/app", "/app/api", "/app/services", "/app/services/tool_runner"]:
            files[f"{package}{directory}/__init__.py"] = ""
    _write_package(tmp_path, files)
    monkeypatch.syspath_prepend(str(tmp_path))
    graph = grimp.build_graph(package, cache_dir=None)
    layers = [
        f"{package}.app.api",
        f"{package}.app.services.analysis_service",
        f"{package}.app.services.tool_runner",
    ]

    check = check_contract(strict_layers({"layers": layers}, [package]), graph)

    assert summarise(check) == [("skip", layers[0], layers[2], [layers[1]])]
    assert check.metadata["violations"][0]["chains"][0]["chain"] == [
        {"importer": f"{package}.app.api.routes", "imported": layers[2], "line_numbers": [2]}
    ]
