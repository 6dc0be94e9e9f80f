"""Import time of the flake8 plugin module (target: at most 15 ms), and what the first file costs.

flake8 imports `flake8_phase12.flake8` in every run, editors included, before linting anything;
the rules modules a file needs are loaded when the first such file is checked (per file role,
see `flake8_phase12.rules.FILE_CHECK_GATES`). Figures, each the minimum over `--repeat`
fresh interpreters, with the plugin's bytecode written first (as an installed package has it):

1. `python -X importtime -c "import flake8_phase12.flake8"`: the cumulative time of the
   `flake8_phase12.flake8` row (the headline), and of everything the statement imported
   (the `flake8_phase12` package row included);
2. the same inside a process that has already imported flake8's own machinery, as when flake8
   loads the plugin: the plugin's marginal import cost there;
3. timed inside the interpreter, in wall and CPU time (`time.process_time`, which a busy shared
   machine disturbs far less): the import; plus reading the example's configuration (what
   `parse_options` does); plus checking a plain module of the example; plus its runner module
   (the most rules); and, for reference, loading every rules module (`all_checks()`; the
   pylint plugin loads them all for its message table).

    python benchmarks/bench_import_time.py [--repeat 20]
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _flake8_runs import compile_the_plugin  # noqa: E402

TARGET_MS = 15.0
FLAKE8_MACHINERY = "import flake8.main.application, flake8.checker, flake8.style_guide, ast, re"
IMPORTTIME_ROW = re.compile(
    r"^import time:\s+(?P<self>\d+) \|\s+(?P<cumulative>\d+) \|(?P<indent>\s*)(?P<name>\S+)$")
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "compliant"
PLAIN_MODULE = EXAMPLE / "server" / "app" / "validation.py"
RUNNER_MODULE = EXAMPLE / "server" / "app" / "services" / "tool_runner.py"
STAGES = ("import", "+ configuration", "+ a plain module", "+ the runner module",
          "+ every rules module")
# Cumulative wall and CPU milliseconds after each stage, one stage a line.
TIMED_LOAD = f"""\
import ast, time
from pathlib import Path
wall, cpu = time.perf_counter(), time.process_time()
def stage():
    print((time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000)
import flake8_phase12.flake8
stage()
from flake8_phase12.config import load_config
load_config(start=Path({str(EXAMPLE)!r}))
stage()
for path in ({str(PLAIN_MODULE)!r}, {str(RUNNER_MODULE)!r}):
    source = Path(path).read_text()
    checker = flake8_phase12.flake8.Phase12Checker(ast.parse(source), path,
                                                   source.splitlines(True))
    list(checker.run())
    stage()
from flake8_phase12.rule_index import all_checks
all_checks()
stage()
"""


def importtime(prelude: str) -> tuple[float, float]:
    """(cumulative ms of the `flake8_phase12.flake8` row, ms of every top-level row imported by
    the plugin's import statement) in one fresh interpreter."""
    code = f"{prelude}\nimport sys; sys.stderr.write('--plugin--\\n')\nimport flake8_phase12.flake8"
    result = subprocess.run([sys.executable, "-X", "importtime", "-c", code],
                            capture_output=True, text=True, check=True)
    rows = result.stderr.split("--plugin--\n", 1)[1].splitlines()
    module_ms = total_ms = 0.0
    for row in rows:
        match = IMPORTTIME_ROW.match(row)
        if not match:
            continue
        cumulative = int(match["cumulative"]) / 1000
        if match["name"] == "flake8_phase12.flake8":
            module_ms = cumulative
        if len(match["indent"]) == 1:  # a top-level row: not counted inside another row
            total_ms += cumulative
    return module_ms, total_ms


def timed_load(prelude: str) -> list[tuple[float, float]]:
    """(wall ms, cpu ms) since the import started, after each of `STAGES`."""
    code = f"{prelude}\n{TIMED_LOAD}" if prelude else TIMED_LOAD
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    return [(float(wall), float(cpu)) for wall, cpu in
            (line.split() for line in result.stdout.splitlines())]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cpus, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f}; min of {args.repeat} fresh interpreters")

    compile_the_plugin()
    headline = None
    for label, prelude in (("standalone", ""), ("after flake8's machinery", FLAKE8_MACHINERY)):
        samples = [importtime(prelude) for _ in range(args.repeat)]
        module_ms = min(module for module, _ in samples)
        total_ms = min(total for _, total in samples)
        loads = [timed_load(prelude) for _ in range(args.repeat)]
        headline = module_ms if headline is None else headline
        print(f"[{label}] -X importtime: flake8_phase12.flake8 {module_ms:.1f} ms "
              f"(all rows of the statement {total_ms:.1f} ms)")
        print(f"  {'cumulative, from the import':28}{'wall ms':>9}{'cpu ms':>9}")
        for index, stage in enumerate(STAGES):
            wall = min(load[index][0] for load in loads)
            cpu = min(load[index][1] for load in loads)
            print(f"  {stage:28}{wall:>9.1f}{cpu:>9.1f}")
    record_classes()
    verdict = "ok" if headline <= TARGET_MS else "OVER TARGET"
    print(f"headline: flake8_phase12.flake8 cumulative import {headline:.1f} ms "
          f"(target <= {TARGET_MS:.0f} ms) {verdict}")
    return 0


RECORD_FIELDS = "    a: int\n    b: str = ''\n    c: tuple = ()\n    d: int = 0\n    e: str = ''\n"
RECORD_KINDS = {
    "Record": ("from flake8_phase12.records import Record", "class P(Record):\n"),
    "NamedTuple": ("from typing import NamedTuple", "class P(NamedTuple):\n"),
    "frozen dataclass": ("from dataclasses import dataclass", "@dataclass(frozen=True)\nclass P:\n"),
}


def record_classes(number: int = 500) -> None:
    """What one immutable-record class costs to create, by idiom: the reason `records.Record`
    exists (the plugin creates 13 such classes when it starts on a plain module)."""
    import timeit

    costs = {name: min(timeit.repeat(header + RECORD_FIELDS, setup, number=number, repeat=5)) / number
             for name, (setup, header) in RECORD_KINDS.items()}
    base = costs["Record"]
    print("record class creation, ms per class (ratio to Record): "
          + ", ".join(f"{name} {cost * 1000:.3f} ({cost / base:.1f}x)" for name, cost in costs.items()))


if __name__ == "__main__":
    sys.exit(main())
