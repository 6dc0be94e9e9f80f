"""Run every `benchmarks/bench_*.py` and the detection benchmark with their defaults, then a summary.

Each benchmark prints its own figures, measured within its own run (the detection benchmark,
`mutation_score.py`, its per-section detection against the target); this script runs them one
after another (never in parallel: they would measure each other), shows their full output, then
one table: script, exit status, duration, and each line that states a ratio or a time against
a target (the lines containing "target").

    python benchmarks/run_all.py [--only flake8_run import_time ...] [--quiet]
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def scripts(only: list[str]) -> list[Path]:
    found = sorted(HERE.glob("bench_*.py")) + [HERE / "mutation_score.py"]
    if only:
        found = [path for path in found if any(name in path.stem for name in only)]
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", default=[], help="substrings of script names")
    parser.add_argument("--quiet", action="store_true", help="print only the summary table")
    args = parser.parse_args()

    print(f"machine: {platform.machine()}, {os.cpu_count()} cpus, Python {platform.python_version()}, "
          f"{platform.platform()}; load average at start {os.getloadavg()[0]:.1f}")
    rows = []
    for script in scripts(args.only):
        start = time.perf_counter()
        result = subprocess.run([sys.executable, str(script)], cwd=HERE.parent,
                                capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - start
        if not args.quiet:
            print(f"\n===== {script.name} ({elapsed:.0f} s, exit {result.returncode}) =====")
            print(result.stdout.rstrip())
            if result.returncode:
                print(result.stderr.rstrip()[-3000:])
        figures = [line.strip() for line in result.stdout.splitlines() if "target" in line.lower()]
        rows.append((script.name, result.returncode, elapsed, figures or ["(no target line)"]))

    print("\n===== summary =====")
    width = max((len(name) for name, *_ in rows), default=10)
    print(f"{'script':<{width}}  exit  seconds  figures against their targets")
    for name, status, elapsed, figures in rows:
        print(f"{name:<{width}}  {status:>4}  {elapsed:>7.0f}  {figures[0]}")
        for figure in figures[1:]:
            print(f"{'':<{width}}  {'':>4}  {'':>7}  {figure}")
    print(f"load average at end {os.getloadavg()[0]:.1f}")
    return 1 if any(status for _, status, *_ in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
