"""The programmatic surface used by other code (e.g. ``phase12 audit``)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from _import_contracts_graphs import API, PHASE12_LAYERS, PLUGIN_MGMT, RUNNER, phase12_graph
from importlinter import Contract

import import_contracts
from import_contracts import (
    SoleGatewayContract,
    StrictLayersContract,
    build_contract,
    check_contract,
    iter_links,
)

VIOLATION_KEYS = {
    "kind",
    "importer",
    "imported",
    "skipped_layer",
    "skipped_layers",
    "protected_module",
    "hint",
    "chains",
}


@pytest.mark.parametrize(
    "contract_class, options",
    [
        (StrictLayersContract, {"layers": PHASE12_LAYERS}),
        (SoleGatewayContract, {"protected_modules": [RUNNER], "gateway_modules": [PLUGIN_MGMT]}),
    ],
    ids=["strict_layers", "sole_gateway"],
)
def test_every_violation_has_the_documented_shape(contract_class, options):
    contract = build_contract(contract_class, options, root_packages=["server"])
    graph = phase12_graph(f"{API}.routes -> server.app.utils:9", f"server.app.utils -> {RUNNER}:2")

    check = check_contract(contract, graph)

    assert isinstance(contract, Contract)
    assert set(check.metadata) == {
        "schema_version",
        "contract_type",
        "violations",
        "undeclared_modules",
        "configuration",
    }
    assert check.metadata["contract_type"] == contract_class.type_name
    assert check.metadata["violations"]
    for violation in check.metadata["violations"]:
        assert set(violation) == VIOLATION_KEYS
        assert violation["chains"] and violation["hint"]
        for link in iter_links(violation):
            assert set(link) == {"importer", "imported", "line_numbers"}
            assert all(isinstance(n, int) for n in link["line_numbers"])


def test_iter_links_gives_file_line_evidence_for_each_hop():
    contract = build_contract(StrictLayersContract, {"layers": PHASE12_LAYERS}, root_packages=["server"])
    check = check_contract(
        contract, phase12_graph(f"{API}.routes -> server.app.utils:9", f"server.app.utils -> {RUNNER}:2")
    )

    (violation,) = check.metadata["violations"]

    assert [(link["importer"], link["line_numbers"]) for link in iter_links(violation)] == [
        (f"{API}.routes", [9]),
        ("server.app.utils", [2]),
    ]


def test_registration_paths_in_the_docs_resolve():
    assert import_contracts.StrictLayersContract is StrictLayersContract
    assert import_contracts.SoleGatewayContract is SoleGatewayContract
    assert StrictLayersContract.type_name == "strict_layers"
    assert SoleGatewayContract.type_name == "sole_gateway"


def test_importlinter_internals_are_used_in_one_module_only():
    """Upstream's public API is importlinter (Contract, ContractCheck, fields, output); anything
    deeper must go through _importlinter_compat so an upstream change breaks one place."""
    package_dir = Path(import_contracts.__file__).parent
    offenders = []
    for path in sorted(package_dir.glob("*.py")):
        if path.name == "_importlinter_compat.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            offenders += [f"{path.name}: {name}" for name in names if name.startswith("importlinter.")]
    assert offenders == []
