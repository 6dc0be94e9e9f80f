"""The project model's build time on a 300-module project (target: a cold build at most 1.5 s),
warm from the disk store, and against `ast.parse` of the same files measured in the same run.

The project is 300 modules of the standard library copied as packages into a temporary folder
(real code of every size and style). "Cold" reads and extracts every module with an empty store
(what the audit, `init` and the first editor run pay), "warm" reads the stored facts of an
unchanged tree in a fresh `ProjectModel` (what every later run pays for the modules it asks
about), "one module" asks a fresh model for a single module's facts (what a flake8 run pays per
module its checks look into). Each in a fresh interpreter, min of several runs.

    python benchmarks/bench_model.py [--modules 300] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

TARGET_COLD_S = 1.5
PACKAGES = ("asyncio", "email", "json", "http", "urllib", "concurrent", "importlib", "logging",
            "xml", "unittest", "multiprocessing", "ctypes", "sqlite3", "tomllib", "zoneinfo", "wsgiref",
            "xmlrpc", "dbm", "html", "curses", "lib2to3")
PROBE = """
import ast, sys, time
from pathlib import Path
from flake8_phase12.model.project import ProjectModel
root = Path(sys.argv[1])
kind = sys.argv[2]
start = time.perf_counter()
if kind == "parse":
    for path in sorted(root.rglob("*.py")):
        try:
            ast.parse(path.read_bytes())
        except SyntaxError:
            pass
elif kind == "one":
    ProjectModel(root).module(sys.argv[3])
else:
    ProjectModel(root).modules()
print(time.perf_counter() - start)
"""


def build_project(destination: Path, count: int) -> list[str]:
    """Copy standard-library packages until `count` modules; returns their import names."""
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    names: list[str] = []
    for package in PACKAGES:
        source = stdlib / package
        if not source.is_dir() or len(names) >= count:
            continue
        for path in sorted(source.rglob("*.py")):
            if len(names) >= count:
                break
            if "test" in path.relative_to(stdlib).parts[1:-1]:
                continue
            target = destination / "project" / path.relative_to(stdlib)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
            names.append(".".join(path.relative_to(stdlib).with_suffix("").parts))
    for directory in (destination / "project").rglob("*"):
        if directory.is_dir() and not (directory / "__init__.py").exists():
            (directory / "__init__.py").write_text("", encoding="utf-8")
    return names


def timed(root: Path, kind: str, cache: Path, *extra: str) -> float:
    env = dict(os.environ, PHASE12_CACHE_DIR=str(cache))
    done = subprocess.run([sys.executable, "-c", PROBE, str(root), kind, *extra], env=env,
                          capture_output=True, text=True, check=True)
    return float(done.stdout.strip())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cpus, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f}; min of {args.repeat} fresh interpreters")
    with tempfile.TemporaryDirectory(prefix="phase12-model-bench-") as folder:
        base = Path(folder)
        names = build_project(base, args.modules)
        root = base / "project"
        parse = min(timed(root, "parse", base / "unused") for _ in range(args.repeat))
        cold = []
        for index in range(args.repeat):
            cold.append(timed(root, "all", base / f"cold-{index}"))
        warm_cache = base / "warm"
        timed(root, "all", warm_cache)
        warm = min(timed(root, "all", warm_cache) for _ in range(args.repeat))
        middle = names[len(names) // 2]
        one = min(timed(root, "one", warm_cache, middle) for _ in range(args.repeat))
    cold_best = min(cold)
    print(f"{len(names)} modules; ast.parse of them all: {parse:.3f} s")
    print(f"cold build (empty store): {cold_best:.3f} s ({cold_best / parse:.2f}x ast.parse)")
    print(f"warm build (stored facts): {warm:.3f} s ({warm / parse:.2f}x ast.parse)")
    print(f"one module's facts, warm, fresh model: {one * 1000:.1f} ms")
    verdict = "ok" if cold_best <= TARGET_COLD_S else "OVER TARGET"
    print(f"headline: cold build of a {len(names)}-module project {cold_best:.2f} s "
          f"(target <= {TARGET_COLD_S} s) {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
