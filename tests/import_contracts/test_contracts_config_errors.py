"""Bad options: InvalidContractOptions naming the field, at construction or at check time."""

from __future__ import annotations

import grimp
import pytest
from _import_contracts_graphs import (
    PHASE12_LAYERS,
    RUNNER,
    check_contract,
    make_graph,
    phase12_graph,
    sole_gateway,
    strict_layers,
)
from importlinter.domain.contract import InvalidContractOptions

from import_contracts import ContractOptionsError


@pytest.mark.parametrize(
    "options, field, message",
    [
        pytest.param({}, "layers", "This is a required field.", id="layers-missing"),
        pytest.param({"layers": ""}, "layers", "At least two layers are needed", id="layers-empty"),
        pytest.param({"layers": ["app.a"]}, "layers", "At least two layers are needed", id="one-layer"),
        pytest.param(
            {"layers": ["app.a", "app.b", "app.a"]},
            "layers",
            "Modules cannot be in more than one layer: 'app.a'",
            id="module-in-two-layers",
        ),
        pytest.param(
            {"layers": ["app.a | app.a", "app.b"]},
            "layers",
            "Modules cannot be repeated in a layer",
            id="module-twice-in-a-layer",
        ),
        pytest.param(
            {"layers": ["app.a", "app.a.sub"]}, "layers", "'app.a' contains 'app.a.sub'", id="nested-layers"
        ),
        pytest.param(
            {"layers": ["app.a | app.b : app.c", "app.d"]},
            "layers",
            "mixture of independent and non-independent",
            id="mixed-separators",
        ),
        pytest.param(
            {"layers": ["app.a |", "app.b"]}, "layers", "Invalid module name in layer", id="empty-sibling"
        ),
        pytest.param(
            {"layers": ["app..a", "app.b"]}, "layers", "Invalid module name in layer", id="empty-name-part"
        ),
        pytest.param(
            {"layers": ["app.a", "app.b"], "exhaustive": "true"},
            "exhaustive",
            "needs containers",
            id="exhaustive-without-containers",
        ),
        pytest.param(
            {"layers": ["app.a", "app.b"], "exhaustive": "perhaps"},
            "exhaustive",
            "Could not parse a boolean",
            id="bad-boolean",
        ),
        pytest.param(
            {"layers": ["app.a", "app.b"], "unmatched_ignore_imports_alerting": "loud"},
            "unmatched_ignore_imports_alerting",
            "expected 'none', 'warn' or 'error'",
            id="bad-alert-level",
        ),
        pytest.param(
            {"layers": ["app.a", "app.b"], "ignore_imports": ["app.a"]},
            "ignore_imports",
            "Must be in the form",
            id="bad-ignore",
        ),
        pytest.param(
            {"layers": ["app.a", "app.b"], "layer": ["x"]},
            "layer",
            "Did you mean 'layers'?",
            id="unknown-option",
        ),
        pytest.param(
            {"layers": ["app.a", "app.b"], "allowed_shared": ["x"]},
            "allowed_shared",
            "Did you mean 'allowed_shared_modules'?",
            id="unknown-option-2",
        ),
    ],
)
def test_strict_layers_invalid_options(options, field, message):
    with pytest.raises(InvalidContractOptions) as excinfo:
        strict_layers(options, ["app"])

    assert field in excinfo.value.errors
    assert message in excinfo.value.errors[field]


@pytest.mark.parametrize(
    "options, field, message",
    [
        pytest.param(
            {"layers": [*PHASE12_LAYERS[:-1], "server.app.services.tool_runnr"]},
            "layers",
            "'server.app.services.tool_runnr' not found in the import graph",
            id="missing-layer",
        ),
        pytest.param(
            {"layers": ["elsewhere.api", *PHASE12_LAYERS[1:]]},
            "layers",
            "inside the root packages (server)",
            id="layer-outside-root",
        ),
        pytest.param(
            {"layers": PHASE12_LAYERS, "allowed_shared_modules": ["server.app.eror_envelope"]},
            "allowed_shared_modules",
            "not found",
            id="shared-missing",
        ),
        pytest.param(
            {"layers": PHASE12_LAYERS, "allowed_shared_modules": ["server.app.nothing.*"]},
            "allowed_shared_modules",
            "No module matches 'server.app.nothing.*'",
            id="shared-wildcard-unmatched",
        ),
        pytest.param(
            {"layers": PHASE12_LAYERS, "allowed_shared_modules": [RUNNER]},
            "allowed_shared_modules",
            "is or contains the layer",
            id="shared-is-a-layer",
        ),
        pytest.param(
            {"layers": PHASE12_LAYERS, "allowed_shared_modules": ["server.app.services"]},
            "allowed_shared_modules",
            "is or contains the layer",
            id="shared-contains-a-layer",
        ),
        pytest.param(
            {"layers": ["api", "data"], "containers": ["server.nope"]},
            "containers",
            "'server.nope' not found",
            id="missing-container",
        ),
        pytest.param(
            {"layers": ["api", "data"], "containers": ["server.app"]},
            "layers",
            "'server.app.data' not found",
            id="missing-layer-in-container",
        ),
    ],
)
def test_strict_layers_problems_found_at_check_time(options, field, message):
    contract = strict_layers(options)

    with pytest.raises(ContractOptionsError) as excinfo:
        check_contract(contract, phase12_graph())

    assert message in excinfo.value.errors[field]
    assert str(excinfo.value).startswith(
        'Contract "Strict layers" is not configured correctly:\n    ' + field + ": "
    )


def test_container_outside_root_packages():
    contract = strict_layers({"layers": ["api", "data"], "containers": ["other"]}, ["app"])

    with pytest.raises(ContractOptionsError) as excinfo:
        check_contract(contract, make_graph(["other.api -> other.data"], modules=["app"]))

    assert "a container must be a root package (app) or inside one" in excinfo.value.errors["containers"]


@pytest.mark.parametrize(
    "options, field, message",
    [
        pytest.param(
            {"gateway_modules": ["a.gate"]},
            "protected_modules",
            "This is a required field.",
            id="protected-missing",
        ),
        pytest.param(
            {"protected_modules": ["a.p"]},
            "gateway_modules",
            "This is a required field.",
            id="gateways-missing",
        ),
        pytest.param(
            {"protected_modules": "", "gateway_modules": ["a.gate"]},
            "protected_modules",
            "At least one",
            id="protected-empty",
        ),
        pytest.param(
            {"protected_modules": ["a.p"], "gateway_modules": ""},
            "gateway_modules",
            "At least one",
            id="gateways-empty",
        ),
        pytest.param(
            {"protected_modules": ["a.p"], "gateway_modules": ["a.p"]},
            "gateway_modules",
            "cannot be both protected and a gateway",
            id="same-module",
        ),
        pytest.param(
            {"protected_modules": ["a.p"], "gateway_modules": ["a.p.facade"]},
            "gateway_modules",
            "overlap",
            id="gateway-inside-protected",
        ),
        pytest.param(
            {"protected_modules": ["a.p.inner"], "gateway_modules": ["a.p"]},
            "gateway_modules",
            "overlap",
            id="protected-inside-gateway",
        ),
        pytest.param(
            {"protected_modules": ["a.p"], "gateway_modules": ["a.g"], "transitive": "sometimes"},
            "transitive",
            "Could not parse a boolean",
            id="bad-boolean",
        ),
        pytest.param(
            {"protected_modules": ["a.p"], "gateway_modules": ["a.g"], "gateways": ["a.x"]},
            "gateways",
            "Did you mean 'gateway_modules'?",
            id="unknown-option",
        ),
    ],
)
def test_sole_gateway_invalid_options(options, field, message):
    with pytest.raises(InvalidContractOptions) as excinfo:
        sole_gateway(options, ["a"])

    assert message in excinfo.value.errors[field]


def test_nested_gateway_is_fine_when_not_treating_modules_as_packages():
    contract = sole_gateway(
        {"protected_modules": ["a.p"], "gateway_modules": ["a.p.facade"], "as_packages": "false"}, ["a"]
    )

    assert check_contract(contract, make_graph(["a.p.facade -> a.p:1", "a.x -> a.p.facade:2"])).kept


@pytest.mark.parametrize(
    "options, field, message",
    [
        pytest.param(
            {"protected_modules": ["a.runer"], "gateway_modules": ["a.gate"]},
            "protected_modules",
            "'a.runer' not found",
            id="protected-not-in-graph",
        ),
        pytest.param(
            {"protected_modules": ["a.runner"], "gateway_modules": ["a.gait"]},
            "gateway_modules",
            "'a.gait' not found",
            id="gateway-not-in-graph",
        ),
        pytest.param(
            {"protected_modules": ["a.zzz.*"], "gateway_modules": ["a.gate"]},
            "protected_modules",
            "No module matches 'a.zzz.*'",
            id="wildcard-unmatched",
        ),
        pytest.param(
            {"protected_modules": ["a.*"], "gateway_modules": ["a.gate"]},
            "gateway_modules",
            "both protected and a gateway: a.gate",
            id="wildcard-overlap",
        ),
    ],
)
def test_sole_gateway_problems_found_at_check_time(options, field, message):
    contract = sole_gateway(options, ["a"])

    with pytest.raises(ContractOptionsError) as excinfo:
        check_contract(contract, make_graph(["a.gate -> a.runner:1"]))

    assert message in excinfo.value.errors[field]


def test_missing_layer_explains_directory_without_init_file(tmp_path, monkeypatch):
    package = "orphan12"
    (tmp_path / package / "app" / "services").mkdir(parents=True)
    (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / package / "app" / "__init__.py").write_text("")
    (tmp_path / package / "app" / "api.py").write_text(f"from {package}.app.services import runner\n")
    (tmp_path / package / "app" / "services" / "runner.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    graph = grimp.build_graph(package, cache_dir=None)
    contract = strict_layers({"layers": [f"{package}.app.api", f"{package}.app.services.runner"]}, [package])

    with pytest.raises(ContractOptionsError) as excinfo:
        check_contract(contract, graph)

    message = excinfo.value.errors["layers"]
    assert f"{tmp_path / package / 'app' / 'services'} has no __init__.py" in message
