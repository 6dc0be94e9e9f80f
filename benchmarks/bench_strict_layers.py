"""Benchmark: StrictLayersContract.check versus the built-in LayersContract.check.

Builds one large import graph from packages installed in this environment (several thousand
modules), picks a realistic layer list inside one package, and times both contracts on the same
graph and layers, each run including the ``deepcopy`` of the graph that ``lint-imports`` does
before every contract. Prints absolute times and the strict/built-in ratio (target: at most
1.5). SoleGatewayContract is timed too, for reference.

Strict layering asks grimp a strictly larger question than the built-in contract (every skip as
well as every upward dependency), so each scenario also prints a breakdown:

- the floor: ``deepcopy`` plus grimp's closed-layer query alone, i.e. the least any contract
  built on grimp's closed layers can cost; when the floor alone is above 1.5x the built-in
  check, the target cannot be met on that scenario whatever the contract does in Python;
- each contract's own work (check minus deepcopy minus its grimp query), also per route found;
- a size-matched yardstick: the built-in contract on the reversed layer stack, which makes it
  report every downward dependency through the same grimp machinery, a report about as large
  as the strict one.

The headline stays strict/built-in on the same layers. grimp runs the layer query on all
cores, so the numbers move with the load on a shared machine: compare ratios within one run.

    python benchmarks/bench_strict_layers.py [--repeat 20] [--roots pip setuptools ...]

A script, not a test: it always exits 0 unless it cannot run at all.
"""

from __future__ import annotations

import argparse
import copy
import importlib.metadata
import importlib.util
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

# Run from a checkout without installing: make the repository importable.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import grimp  # noqa: E402
import importlinter  # noqa: E402
from importlinter.contracts.layers import LayersContract  # noqa: E402

from import_contracts import SoleGatewayContract, StrictLayersContract  # noqa: E402

CANDIDATE_ROOTS = [
    "pip", "setuptools", "pylint", "astroid", "hypothesis", "rich", "pygments", "jedi", "parso",
    "libcst", "black", "blib2to3", "fastapi", "starlette", "pydantic", "isort", "flake8", "pyflakes",
    "_pytest", "pluggy", "click", "importlinter", "grimp", "jsonschema", "referencing", "virtualenv",
    "pre_commit", "anyio", "idna", "attr", "lark", "markdown_it", "tomlkit", "yaml", "pylsp", "griffe",
]  # fmt: skip

# Layer lists that follow each package's own architecture, highest first. Every scenario whose
# modules are all in the graph is run; the first one is the headline (pip is large and breaks
# strict layering a lot, so the strict contract has far more routes to report there). If none
# is available, a layer list is derived from the largest package.
SCENARIOS: dict[str, list[str]] = {
    "pip": [
        "pip._internal.commands",
        "pip._internal.cli",
        "pip._internal.resolution",
        "pip._internal.operations",
        "pip._internal.req",
        "pip._internal.index",
        "pip._internal.network",
        "pip._internal.models",
        "pip._internal.utils",
    ],
    "pylint": ["pylint.lint", "pylint.checkers", "pylint.config", "pylint.utils"],
    "libcst": ["libcst.codemod", "libcst.metadata", "libcst.matchers", "libcst._nodes"],
    "astroid": ["astroid.brain", "astroid.interpreter", "astroid.nodes"],
    "rich": ["rich.console", "rich.text", "rich.style", "rich.color"],
    "starlette": [
        "starlette.applications",
        "starlette.routing",
        "starlette.requests",
        "starlette.datastructures",
    ],
}


def installed_packages(candidates: Sequence[str]) -> list[str]:
    """Candidates importable as plain packages: grimp needs a package whose ``__init__`` is a
    ``.py`` file (not a single-file module, nor a compiled ``__init__`` as in mypyc builds)."""
    found = []
    for name in candidates:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            continue
        if (
            spec is not None
            and spec.submodule_search_locations
            and (spec.origin or "").endswith("__init__.py")
        ):
            found.append(name)
    return found


def choose_scenarios(graph: grimp.ImportGraph, roots: Sequence[str]) -> dict[str, list[str]]:
    chosen = {
        name: layers for name, layers in SCENARIOS.items() if all(layer in graph.modules for layer in layers)
    }
    if chosen:
        return chosen
    # Fallback: children of the largest package, ordered by how many siblings each depends on.
    biggest = max(roots, key=lambda root: len(graph.find_descendants(root)))
    children = sorted(
        graph.find_children(biggest), key=lambda c: len(graph.find_descendants(c)), reverse=True
    )[:8]

    def dependency_count(child: str) -> int:
        return sum(
            graph.chain_exists(importer=child, imported=other, as_packages=True)
            for other in children
            if other != child
        )

    return {biggest: sorted(children, key=dependency_count, reverse=True)}


def time_interleaved(
    graph: grimp.ImportGraph, runs: dict[str, Callable[[], object]], repeat: int
) -> dict[str, list[float]]:
    """Alternate the contenders on every round, so background load on a shared machine hits
    them alike. Every contract run includes ``deepcopy(graph)``, as in lint-imports."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    for run in runs.values():
        run()  # warm-up
    for _ in range(repeat):
        for name, run in runs.items():
            started = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - started)
    return times


def ms(values: list[float], how: Callable[[list[float]], float]) -> str:
    return f"{how(values) * 1000:7.1f}"


TARGET = 1.5


@dataclass
class ScenarioResult:
    name: str
    strict: float  # median seconds, check including deepcopy
    builtin: float
    floor: float  # median deepcopy + grimp closed-layer query
    reversed_builtin: float


def run_scenario(
    graph: grimp.ImportGraph, roots: list[str], name: str, layers: list[str], repeat: int
) -> ScenarioResult:
    session = {"root_packages": roots}
    builtin = LayersContract(name="builtin", session_options=session, contract_options={"layers": layers})
    reversed_builtin = LayersContract(
        name="builtin-reversed", session_options=session, contract_options={"layers": layers[::-1]}
    )
    strict = StrictLayersContract(name="strict", session_options=session, contract_options={"layers": layers})
    gateway = SoleGatewayContract(
        name="gateway",
        session_options=session,
        contract_options={"protected_modules": [layers[-1]], "gateway_modules": [layers[-2]]},
    )
    # The grimp question each contract asks, on a fresh copy as inside a check (a query on the
    # original, cache-warm graph would run faster than it does inside the contract).
    open_layers = [grimp.Layer(layer) for layer in layers]
    closed_layers = [grimp.Layer(layer, closed=0 < i < len(layers) - 1) for i, layer in enumerate(layers)]
    runs: dict[str, Callable[[], object]] = {
        "built-in layers": lambda: builtin.check(copy.deepcopy(graph), verbose=False),
        "strict_layers": lambda: strict.check(copy.deepcopy(graph), verbose=False),
        "sole_gateway": lambda: gateway.check(copy.deepcopy(graph), verbose=False),
        "deepcopy": lambda: copy.deepcopy(graph),
        "copy + open query": lambda: copy.deepcopy(graph).find_illegal_dependencies_for_layers(
            layers=open_layers
        ),
        "copy + closed query": lambda: copy.deepcopy(graph).find_illegal_dependencies_for_layers(
            layers=closed_layers
        ),
        "built-in, reversed": lambda: reversed_builtin.check(copy.deepcopy(graph), verbose=False),
    }
    times = time_interleaved(graph, runs, repeat)
    med = {label: statistics.median(values) for label, values in times.items()}
    builtin_check = builtin.check(copy.deepcopy(graph), verbose=False)
    reversed_check = reversed_builtin.check(copy.deepcopy(graph), verbose=False)
    strict_check = strict.check(copy.deepcopy(graph), verbose=False)
    routes = sum(len(v["chains"]) for v in strict_check.metadata["violations"])
    builtin_routes = _builtin_routes(builtin_check)
    reversed_routes = _builtin_routes(reversed_check)

    print(f"\n[{name}] {len(layers)} layers: {' > '.join(layers)}")
    print(
        f"  built-in found {len(builtin_check.metadata['invalid_dependencies'])} illegal pairs / "
        f"{builtin_routes} routes; strict found {_violation_summary(strict_check)} / {routes} routes"
    )
    print(f"  {'':22}{'min ms':>9}{'median ms':>11}")
    for label, values in times.items():
        if label == "deepcopy":
            print("  breakdown and yardstick:")
        print(f"  {label:<22}{ms(values, min):>9}{ms(values, statistics.median):>11}")
    median_ratio = med["strict_layers"] / med["built-in layers"]
    min_ratio = min(times["strict_layers"]) / min(times["built-in layers"])
    low = {label: min(values) for label, values in times.items()}
    floor = med["copy + closed query"]
    floor_ratio = floor / med["built-in layers"]
    floor_min_ratio = low["copy + closed query"] / low["built-in layers"]
    # Only the summary lines say "target" (run_all.py collects those lines).
    print(
        f"  strict / built-in: median {median_ratio:.2f}, min {min_ratio:.2f}"
        + (f" (over {TARGET})" if median_ratio > TARGET else "")
    )
    print(
        f"  floor, deepcopy + grimp's closed-layer query alone / built-in check: median "
        f"{floor_ratio:.2f}, min {floor_min_ratio:.2f}"
        + (f" (over {TARGET} by itself)" if min(floor_ratio, floor_min_ratio) > TARGET else "")
    )
    # From the min times: the query's time swings with how many cores grimp gets, and the
    # least disturbed runs subtract most consistently.
    builtin_own = low["built-in layers"] - low["copy + open query"]
    strict_own = low["strict_layers"] - low["copy + closed query"]
    print(
        "  own work (min times, check - deepcopy and grimp query): "
        f"built-in {builtin_own * 1000:.1f} ms ({_per_route(builtin_own, builtin_routes)}), "
        f"strict {strict_own * 1000:.1f} ms ({_per_route(strict_own, routes)})"
    )
    print(
        f"  size-matched: strict / built-in on the reversed stack ({reversed_routes} routes): "
        f"median {med['strict_layers'] / med['built-in, reversed']:.2f}"
    )
    return ScenarioResult(
        name=name,
        strict=med["strict_layers"],
        builtin=med["built-in layers"],
        floor=floor,
        reversed_builtin=med["built-in, reversed"],
    )


def _builtin_routes(check) -> int:
    return sum(len(d["routes"]) for d in check.metadata["invalid_dependencies"])


def _per_route(seconds: float, routes: int) -> str:
    return f"{seconds * 1e6 / routes:.0f} us/route" if routes else "no routes"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="timed rounds per scenario (default 20)")
    parser.add_argument(
        "--roots", nargs="*", help="root packages for the graph (default: whatever is installed)"
    )
    parser.add_argument(
        "--threads",
        type=int,
        help="worker threads for grimp's layer queries (sets RAYON_NUM_THREADS; default: all cores). "
        "1 gives steadier numbers on a shared machine.",
    )
    args = parser.parse_args(argv)
    if args.threads:
        # Read when grimp first starts its thread pool, i.e. at the first layer query below.
        os.environ["RAYON_NUM_THREADS"] = str(args.threads)

    print(f"python {platform.python_version()} ({sys.executable}) on {platform.platform()}")
    print(
        f"cpu count {os.cpu_count()}; import-linter {importlinter.__version__}; grimp {_grimp_version()}; "
        f"grimp threads {os.environ.get('RAYON_NUM_THREADS', 'all cores')}"
    )
    roots = installed_packages(args.roots or CANDIDATE_ROOTS)
    if not roots:
        print("No candidate packages are installed; nothing to benchmark.")
        return 0
    started = time.perf_counter()
    graph = grimp.build_graph(*roots, cache_dir=None)
    print(
        f"graph: {len(graph.modules)} modules, {graph.count_imports()} imports from {len(roots)} packages "
        f"({', '.join(roots)}), built in {time.perf_counter() - started:.2f}s"
    )
    print(f"load average before: {_load()}")
    results = [
        run_scenario(graph, roots, name, layers, args.repeat)
        for name, layers in choose_scenarios(graph, roots).items()
    ]

    head = results[0]
    headline = head.strict / head.builtin
    overall = sum(r.strict for r in results) / sum(r.builtin for r in results)
    print(
        f"\nstrict / built-in, median times: headline scenario {headline:.2f}, "
        f"all scenarios together {overall:.2f} (target <= {TARGET})"
    )
    missed = [
        f"{r.name} (floor {r.floor / r.builtin:.2f})" for r in results if r.strict / r.builtin > TARGET
    ]
    print(f"scenarios above the target: {', '.join(missed) or 'none'}")
    print(
        f"headline floor (deepcopy + grimp closed-layer query alone) / built-in: "
        f"{head.floor / head.builtin:.2f}; size-matched (strict / built-in on the reversed stack): "
        f"headline {head.strict / head.reversed_builtin:.2f}, all together "
        f"{sum(r.strict for r in results) / sum(r.reversed_builtin for r in results):.2f}"
    )
    print(f"load average after: {_load()}")
    return 0


def _load() -> str:
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "?"


def _grimp_version() -> str:
    try:
        return importlib.metadata.version("grimp")
    except importlib.metadata.PackageNotFoundError:
        return "?"


def _violation_summary(check) -> str:
    kinds: dict[str, int] = {}
    for violation in check.metadata["violations"]:
        kinds[violation["kind"]] = kinds.get(violation["kind"], 0) + 1
    return ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items())) or "no violations"


if __name__ == "__main__":
    sys.exit(main())
