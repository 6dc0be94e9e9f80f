"""Running our contracts from Python code (the ``phase12 audit`` command, tests, scripts)."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import grimp
from importlinter import Contract, ContractCheck


def check_contract(contract: Contract, graph: grimp.ImportGraph, verbose: bool = False) -> ContractCheck:
    """Check ``contract`` against a private copy of ``graph``, as ``lint-imports`` does.

    Contracts mutate the graph they are given (ignored imports, shared modules are removed), so
    the caller's graph is deep-copied first and can be reused for further contracts.
    """
    return contract.check(copy.deepcopy(graph), verbose=verbose)


def build_contract(
    contract_class: type[Contract],
    options: Mapping[str, Any],
    root_packages: list[str],
    name: str = "contract",
) -> Contract:
    """Instantiate a contract from options in the same shape as an INI/TOML contract section.

    Values are strings or lists of strings, e.g. ``{"layers": ["app.api", "app.db"],
    "transitive": "false"}``. Raises ``InvalidContractOptions`` (our ``ContractOptionsError``)
    for bad options.
    """
    return contract_class(
        name=name,
        session_options={"root_packages": list(root_packages)},
        contract_options=dict(options),
    )
