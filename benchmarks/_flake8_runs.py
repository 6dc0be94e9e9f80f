"""Real flake8 processes with and without the GOV plugin, in the same environment.

How the plugin is taken away: flake8 finds plugins by iterating
`importlib.metadata.distributions()` and reading their `flake8.extension` entry points. Both
runs start through the same small launcher that wraps that function with a filter; "without"
filters out the `flake8-phase12` distribution, "with" filters out a name no distribution has.
So the two runs differ in exactly the plugin's whole cost: importing `flake8_phase12.flake8`,
registering its option, `parse_options` (configuration discovery and validation), and running
the checker on every file. Same interpreter, same flake8, same other plugins, same launcher.

Each run's cost is measured twice: the CPU time (user + system) of the process and every worker
it waited for (`RUSAGE_CHILDREN`), which other processes on a shared machine disturb far less,
and the wall time. Runs alternate with/without so drifts in machine load hit both sides alike.
"""

from __future__ import annotations

import compileall
import importlib.util
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

DISTRIBUTION = "flake8-phase12"
LAUNCHER = """\
import sys
import importlib.metadata as metadata
hidden = sys.argv.pop(1)
everything = metadata.distributions
def distributions(**kwargs):
    return (d for d in everything(**kwargs) if d.metadata["Name"] != hidden)
metadata.distributions = distributions
from flake8.main.cli import main
sys.exit(main())
"""
HIDDEN = {"with": "-no-such-distribution-", "without": DISTRIBUTION}


@dataclass
class Timings:
    cpu: list[float] = field(default_factory=list)
    wall: list[float] = field(default_factory=list)

    def best(self) -> tuple[float, float]:
        return min(self.cpu), min(self.wall)

    def median(self) -> tuple[float, float]:
        return statistics.median(self.cpu), statistics.median(self.wall)


def flake8_command(mode: str, args: Sequence[str]) -> list[str]:
    return [sys.executable, "-c", LAUNCHER, HIDDEN[mode], *args]


def run_once(mode: str, args: Sequence[str], cwd: Path, stdin: str | None = None,
             ) -> tuple[float, float, subprocess.CompletedProcess]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(flake8_command(mode, args), cwd=cwd, input=stdin,
                            capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if result.returncode not in (0, 1) or "Traceback" in result.stderr:
        raise SystemExit(f"flake8 ({mode} the plugin) failed:\n{result.stdout}\n{result.stderr}")
    return cpu, wall, result


def compile_the_plugin() -> None:
    """Write the plugin's bytecode, as `pip install` does for an installed package.

    An editable install (this checkout) under `PYTHONDONTWRITEBYTECODE=1` has no `.pyc` files,
    so every run would compile the plugin from source while flake8, pycodestyle and pyflakes
    load theirs from bytecode: a cost no real installation pays."""
    for package in ("flake8_phase12", "import_contracts"):
        spec = importlib.util.find_spec(package)
        if spec and spec.submodule_search_locations:
            for location in spec.submodule_search_locations:
                compileall.compile_dir(location, quiet=1)


def check_the_plugin_is_really_away(cwd: Path) -> None:
    """`flake8 --version` lists the installed plugins: ours only in the "with" runs."""
    listed = {mode: DISTRIBUTION in run_once(mode, ["--version"], cwd)[2].stdout
              for mode in HIDDEN}
    if listed != {"with": True, "without": False}:
        raise SystemExit(f"the launcher does not control the plugin as intended: {listed}")


def alternate(args: Sequence[str], cwd: Path, repeat: int, stdin: str | None = None,
              ) -> dict[str, Timings]:
    timings = {mode: Timings() for mode in HIDDEN}
    for _ in range(repeat):
        for mode in HIDDEN:
            cpu, wall, _ = run_once(mode, args, cwd, stdin)
            timings[mode].cpu.append(cpu)
            timings[mode].wall.append(wall)
    return timings


def report(timings: dict[str, Timings], target: float, unit: float = 1.0, label: str = "s",
           ) -> float:
    """Print min and median of both sides and their ratios; return the headline ratio (CPU,
    best of each side)."""
    with_cpu, with_wall = timings["with"].best()
    without_cpu, without_wall = timings["without"].best()
    with_cpu_median, with_wall_median = timings["with"].median()
    without_cpu_median, without_wall_median = timings["without"].median()
    print(f"  {'':16}{'cpu min':>10}{'cpu median':>12}{'wall min':>10}{'wall median':>13}  ({label})")
    for name, cpu, cpu_median, wall, wall_median in (
            ("with plugin", with_cpu, with_cpu_median, with_wall, with_wall_median),
            ("without plugin", without_cpu, without_cpu_median, without_wall, without_wall_median)):
        print(f"  {name:16}{cpu * unit:>10.1f}{cpu_median * unit:>12.1f}"
              f"{wall * unit:>10.1f}{wall_median * unit:>13.1f}")
    ratio = with_cpu / without_cpu
    verdict = "ok" if ratio <= target else "OVER TARGET"
    print(f"  ratio with/without: cpu min {ratio:.3f}, cpu median "
          f"{with_cpu_median / without_cpu_median:.3f}, wall min {with_wall / without_wall:.3f}, "
          f"wall median {with_wall_median / without_wall_median:.3f}")
    print(f"ratio {ratio:.3f} (cpu, best of each; target <= {target}) {verdict}")
    return ratio
