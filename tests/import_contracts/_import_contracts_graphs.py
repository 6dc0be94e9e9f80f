"""Helpers shared by the import_contracts tests (imported as a top-level module: the tests
directory has no __init__.py, so pytest puts this directory on sys.path)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import grimp

from import_contracts import SoleGatewayContract, StrictLayersContract, check_contract

# The Phase 12 chain, as the example server lays it out.
API = "server.app.api"
ANALYSIS = "server.app.services.analysis_service"
JOBS = "server.app.services.job_management_service"
PLUGIN_MGMT = "server.app.services.plugin_management_service"
RUNNER = "server.app.services.tool_runner"
PHASE12_LAYERS = [API, ANALYSIS, JOBS, PLUGIN_MGMT, RUNNER]

_IMPORT = re.compile(r"^\s*(?P<importer>[\w.]+)\s*->\s*(?P<imported>[\w.]+)\s*(?::\s*(?P<line>\d+))?\s*$")


def make_graph(
    imports: Iterable[str] = (), modules: Iterable[str] = (), with_ancestors: bool = True
) -> grimp.ImportGraph:
    """A hand-built graph from ``"a.b -> c.d:3"`` strings (``:3`` = line number, optional).

    Every module mentioned is added; with ``with_ancestors`` its parent packages are added too,
    as grimp does for a real package with ``__init__.py`` files.
    """
    graph = grimp.ImportGraph()
    parsed = []
    names = set(modules)
    for text in imports:
        match = _IMPORT.match(text)
        assert match, f"bad import spec {text!r}"
        parsed.append(match)
        names |= {match["importer"], match["imported"]}
    if with_ancestors:
        for name in list(names):
            parts = name.split(".")
            names |= {".".join(parts[:i]) for i in range(1, len(parts))}
    for name in sorted(names):
        graph.add_module(name)
    for match in parsed:
        line = match["line"]
        if line is None:
            graph.add_import(importer=match["importer"], imported=match["imported"])
        else:
            graph.add_import(
                importer=match["importer"],
                imported=match["imported"],
                line_number=int(line),
                line_contents=f"import {match['imported']}",
            )
    return graph


def phase12_graph(*extra_imports: str, modules: Iterable[str] = ()) -> grimp.ImportGraph:
    """The legal Phase 12 chain (api.routes -> analysis -> jobs -> plugin mgmt -> runner ->
    plugins) plus shared modules, with extra imports added."""
    legal = [
        f"{API}.routes -> {ANALYSIS}:1",
        f"{ANALYSIS} -> {JOBS}:2",
        f"{JOBS} -> {PLUGIN_MGMT}:3",
        f"{PLUGIN_MGMT} -> {RUNNER}:4",
        f"{RUNNER} -> server.app.plugins.ocr:5",
        f"{RUNNER} -> server.app.error_envelope:6",
        f"{API}.routes -> server.app.error_envelope:7",
        f"{RUNNER} -> server.app.validation:8",
        "server.app.plugins.ocr -> server.app.plugins.base:1",
    ]
    all_modules = ["server.app.utils", "server.app.plugin_registry", *PHASE12_LAYERS, *modules]
    return make_graph([*legal, *extra_imports], modules=all_modules)


def strict_layers(
    options: dict[str, Any], root_packages: Iterable[str] = ("server",)
) -> StrictLayersContract:
    return StrictLayersContract(
        name="Strict layers", session_options={"root_packages": list(root_packages)}, contract_options=options
    )


def sole_gateway(options: dict[str, Any], root_packages: Iterable[str] = ("server",)) -> SoleGatewayContract:
    return SoleGatewayContract(
        name="Sole gateway", session_options={"root_packages": list(root_packages)}, contract_options=options
    )


def summarise(check) -> list[tuple]:
    """(kind, importer, imported, skipped_layers) per violation: the shape most tests compare."""
    return [
        (v["kind"], v["importer"], v["imported"], v["skipped_layers"]) for v in check.metadata["violations"]
    ]


def routes(check) -> list[list[str]]:
    """Every main route of every violation as a list of modules, in report order."""
    result = []
    for violation in check.metadata["violations"]:
        for chain in violation["chains"]:
            links = chain["chain"]
            result.append([links[0]["importer"], *(link["imported"] for link in links)])
    return result


__all__ = [
    "ANALYSIS",
    "API",
    "JOBS",
    "PHASE12_LAYERS",
    "PLUGIN_MGMT",
    "RUNNER",
    "check_contract",
    "make_graph",
    "phase12_graph",
    "routes",
    "sole_gateway",
    "strict_layers",
    "summarise",
]
