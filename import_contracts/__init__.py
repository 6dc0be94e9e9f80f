"""Custom import-linter contract types for strictly layered, gateway-guarded code.

Register them in the import-linter configuration::

    [importlinter]
    root_package = server
    contract_types =
        strict_layers: import_contracts.StrictLayersContract
        sole_gateway: import_contracts.SoleGatewayContract

- ``StrictLayersContract``: each layer may import itself and the layer directly below only.
- ``SoleGatewayContract``: only the gateway modules may reach the protected modules.

Both store a JSON-serialisable report in ``ContractCheck.metadata`` (schema in
``import_contracts.metadata``); ``check_contract`` runs one on a copy of a grimp graph.
"""

from __future__ import annotations

from .checking import build_contract, check_contract
from .errors import ContractOptionsError
from .metadata import SCHEMA_VERSION, Chain, ContractMetadata, Link, Violation, iter_links
from .sole_gateway import SoleGatewayContract
from .strict_layers import StrictLayersContract

__all__ = [
    "SCHEMA_VERSION",
    "Chain",
    "ContractMetadata",
    "ContractOptionsError",
    "Link",
    "SoleGatewayContract",
    "StrictLayersContract",
    "Violation",
    "build_contract",
    "check_contract",
    "iter_links",
]
