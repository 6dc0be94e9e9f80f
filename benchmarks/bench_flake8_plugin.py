"""The flake8 plugin's in-process cost as a ratio to `ast.parse` of the same files.

Both are measured in this run, over the Python standard library: the baseline is `ast.parse`
of each file (what flake8 does anyway before any AST plugin runs); the cost is constructing
the plugin and exhausting its `run()` on that tree, as flake8 does. Targets: at most 0.10
(flake8-bugbear costs about 0.76 on the same files).

Two configurations are measured: the defaults (tests excluded, as users get them) and
nothing excluded (every file goes through every gate: the worst case). Each in three states
of the project model: **cold**, a new process's first run (no model in memory, an empty disk
store: CI on a fresh machine); **stored**, a new process over files unchanged since the last run
(the model's disk store holds their facts: a developer's second run, pre-commit); **in memory**,
a process that has already read the project (a language server, pylint's one process): only
the checked files' own work. Each is the best of `--repeat` passes; the store lives in a scratch
folder of this run. The standard library is a worst case for the cold state: its files name one
another everywhere, and every module a name leads to is read.

    python benchmarks/bench_flake8_plugin.py [--repeat 3] [--limit N] [--root DIR]
"""

from __future__ import annotations

import argparse
import ast
import os
import platform
import shutil
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

from flake8_phase12.config import clear_caches
from flake8_phase12.flake8 import Phase12Checker
from flake8_phase12.model.project import project_model

TARGET = 0.10
STATES = ("cold", "stored", "in memory")


def stdlib_files(root: Path, limit: int | None) -> list[tuple[str, list[str], str]]:
    """(path, lines, source) for every parseable file, read once up front."""
    files = []
    for path in sorted(root.rglob("*.py")):
        if "site-packages" in path.parts:
            continue
        try:
            source = path.read_text(encoding="utf-8")
            ast.parse(source)
        except (SyntaxError, UnicodeDecodeError, ValueError, OSError):
            continue
        files.append((str(path), source.splitlines(keepends=True), source))
        if limit and len(files) >= limit:
            break
    return files


def time_parse(files) -> float:
    start = time.perf_counter()
    for _, _, source in files:
        ast.parse(source)
    return time.perf_counter() - start


def time_plugin(files, store: Path, state: str) -> float:
    """One pass of the plugin over every file, the project model in `state` (see above).

    Each file is parsed just before the plugin runs on it, untimed, and dropped after: flake8
    holds one file's tree at a time, and holding every tree of the corpus would make each of
    the garbage collector's full passes (which the plugin's allocations trigger) walk
    millions of nodes that no real run keeps."""
    if state == "cold":
        shutil.rmtree(store, ignore_errors=True)
    if state != "in memory":
        clear_caches()
        project_model.cache_clear()
    total = 0.0
    for path, lines, source in files:
        tree = ast.parse(source)
        start = time.perf_counter()
        for _ in Phase12Checker(tree, path, lines).run():
            pass
        total += time.perf_counter() - start
    return total


def measure(files, config_file: str | None, repeat: int, store: Path) -> dict[str, float]:
    Phase12Checker.config_file = config_file
    clear_caches()
    findings = sum(1 for path, lines, source in files
                   for _ in Phase12Checker(ast.parse(source), path, lines).run())
    return {"parse": min(time_parse(files) for _ in range(repeat)),
            **{state: min(time_plugin(files, store, state) for _ in range(repeat))
               for state in STATES},
            "findings": findings}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--limit", type=int, default=None, help="at most N files")
    parser.add_argument("--root", type=Path, default=Path(sysconfig.get_paths()["stdlib"]))
    args = parser.parse_args()

    files = stdlib_files(args.root, args.limit)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cpus, Python {platform.python_version()}")
    print(f"corpus: {len(files)} files under {args.root}")
    with tempfile.TemporaryDirectory() as scratch:
        nothing_excluded = Path(scratch) / "phase12.toml"
        nothing_excluded.write_text("exclude = []\n", encoding="utf-8")
        os.environ["PHASE12_CACHE_DIR"] = str(Path(scratch) / "cache")
        store = Path(scratch) / "cache" / "model"
        for label, config_file in (("defaults", None), ("nothing excluded", str(nothing_excluded))):
            times = measure(files, config_file, args.repeat, store)
            parse = times["parse"]
            for state in STATES:
                ratio = times[state] / parse
                verdict = "ok" if ratio <= TARGET else "OVER TARGET"
                print(f"{label:>16}, {state:>9}: ast.parse {parse:.3f} s, plugin {times[state]:.3f} s, "
                      f"ratio {ratio:.3f} (target <= {TARGET}) {verdict}; {times['findings']} findings")
    return 0


if __name__ == "__main__":
    sys.exit(main())
