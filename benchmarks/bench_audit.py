"""Wall-clock time of `phase12 audit examples/compliant`, with baselines measured in the same run.

Everything runs as a user runs it, in a fresh process, on a copy of the examples (the audit's
test command writes caches). Measured, best and median of `--repeat` runs each:

- `python -c pass`: interpreter startup, the floor of any command;
- `lint-imports --no-cache` in the example: import-linter alone, one of the audit's checks;
- the example's test command alone (`[tool.phase12.tests] command`, the Phase 11 suite);
- `phase12 audit --no-test-command`: the audit's own work (rules, contracts, compat, tests);
- `phase12 audit`: everything, the README's first command. The test command runs in the
  background while the audit's own checks run, so this is close to the larger of the two.

Target: the audit under 3 s on this machine (2 CPUs). The full audit also contains the
user's own test suite, whose duration is the user's; the ratio columns show both.

    python benchmarks/bench_audit.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 3.0
REPOSITORY = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def timed(command: list[str], cwd: Path, repeat: int, expect: tuple[int, ...] = (0,)) -> list[float]:
    environment = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        completed = subprocess.run(command, cwd=cwd, env=environment, capture_output=True,
                                   text=True, check=False)
        times.append(time.perf_counter() - start)
        if completed.returncode not in expect:
            raise SystemExit(f"{shlex.join(command)} exited {completed.returncode}:\n"
                             f"{completed.stdout[-2000:]}{completed.stderr[-2000:]}")
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        for name in ("phase11", "compliant"):
            shutil.copytree(REPOSITORY / "examples" / name, root / name,
                            ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
        project = root / "compliant"
        test_command = shlex.split(_test_command(project))
        phase12 = [sys.executable, "-m", "flake8_phase12", "audit"]
        rows = [
            ("python -c pass", timed([sys.executable, "-c", "pass"], root, args.repeat)),
            ("lint-imports --no-cache", timed([str(BIN / "lint-imports"), "--no-cache"], project,
                                              args.repeat)),
            ("test command alone", timed(test_command, project, args.repeat)),
            ("phase12 audit --no-test-command",
             timed([*phase12, "compliant", "--no-test-command", "--allow-unverified"], root,
                   args.repeat)),
            ("phase12 audit (README command)", timed([*phase12, "compliant"], root, args.repeat)),
        ]
    startup = min(rows[0][1])
    lint_imports = min(rows[1][1])
    print(f"phase12 audit examples/compliant: best and median of {args.repeat} runs, "
          f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    print(f"{'command':<34} {'best s':>7} {'median s':>9} {'x startup':>10} {'x lint-imports':>15}")
    for label, times in rows:
        best = min(times)
        print(f"{label:<34} {best:7.2f} {statistics.median(times):9.2f} {best / startup:10.1f} "
              f"{best / lint_imports:15.1f}")
    own, full = min(rows[3][1]), min(rows[4][1])
    print(f"audit's own work: {own:.2f} s ({'within' if own < TARGET_SECONDS else 'OVER'} the "
          f"{TARGET_SECONDS:.0f} s target); with the Phase 11 suite: {full:.2f} s "
          f"({'within' if full < TARGET_SECONDS else 'over'} the target; the suite alone takes "
          f"{min(rows[2][1]):.2f} s)")
    return 0


def _test_command(project: Path) -> str:
    import tomllib

    table = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    return table["tool"]["phase12"]["tests"]["command"]


if __name__ == "__main__":
    sys.exit(main())
