"""Import time of the flake8 plugin module (target: at most 15 ms).

flake8 imports `flake8_phase12.flake8` in every run, editors included, before linting anything;
the rule modules are loaded on the first file (`flake8_phase12.registry.all_checks()`). Figures,
each the minimum over `--repeat` fresh interpreters:

1. `python -X importtime -c "import flake8_phase12.flake8"`: the cumulative time of the
   `flake8_phase12.flake8` row (the headline), and of everything the statement imported
   (the `flake8_phase12` package row included);
2. the same inside a process that has already imported flake8's own machinery, as when flake8
   loads the plugin: the plugin's marginal import cost there;
3. import, and import plus `all_checks()` (every rule module loaded, every check built),
   timed inside the interpreter in wall time and in CPU time (`time.process_time`, which a
   busy shared machine disturbs far less than wall time), standalone and after flake8's
   machinery.

    python benchmarks/bench_import_time.py [--repeat 20]
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys

TARGET_MS = 15.0
FLAKE8_MACHINERY = "import flake8.main.application, flake8.checker, flake8.style_guide, ast, re"
IMPORTTIME_ROW = re.compile(
    r"^import time:\s+(?P<self>\d+) \|\s+(?P<cumulative>\d+) \|(?P<indent>\s*)(?P<name>\S+)$")
# Wall and CPU milliseconds of the plugin's import, then of import + all_checks().
TIMED_LOAD = """\
import time
wall, cpu = time.perf_counter(), time.process_time()
import flake8_phase12.flake8
import_wall, import_cpu = time.perf_counter() - wall, time.process_time() - cpu
from flake8_phase12.registry import all_checks
all_checks()
load_wall, load_cpu = time.perf_counter() - wall, time.process_time() - cpu
print(import_wall * 1000, import_cpu * 1000, load_wall * 1000, load_cpu * 1000)
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


def timed_load(prelude: str) -> tuple[float, ...]:
    """(import wall, import cpu, import + all_checks() wall, the same cpu), in ms."""
    code = f"{prelude}\n{TIMED_LOAD}" if prelude else TIMED_LOAD
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    return tuple(float(value) for value in result.stdout.split())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cpus, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f}; min of {args.repeat} fresh interpreters")

    headline = None
    for label, prelude in (("standalone", ""), ("after flake8's machinery", FLAKE8_MACHINERY)):
        samples = [importtime(prelude) for _ in range(args.repeat)]
        module_ms = min(module for module, _ in samples)
        total_ms = min(total for _, total in samples)
        loads = [timed_load(prelude) for _ in range(args.repeat)]
        import_wall, import_cpu, load_wall, load_cpu = (min(column) for column in zip(*loads))
        headline = module_ms if headline is None else headline
        print(f"[{label}] -X importtime: flake8_phase12.flake8 {module_ms:.1f} ms "
              f"(all rows of the statement {total_ms:.1f} ms)")
        print(f"  {'':28}{'wall ms':>9}{'cpu ms':>9}")
        print(f"  {'import':28}{import_wall:>9.1f}{import_cpu:>9.1f}")
        print(f"  {'import + all_checks()':28}{load_wall:>9.1f}{load_cpu:>9.1f}")
    verdict = "ok" if headline <= TARGET_MS else "OVER TARGET"
    print(f"headline: flake8_phase12.flake8 cumulative import {headline:.1f} ms "
          f"(target <= {TARGET_MS:.0f} ms) {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
