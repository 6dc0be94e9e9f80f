"""The pylint plugin's overhead: a default pylint run with the plugin over one without it.

Both runs lint the same standard-library files (test modules left out, since the plugin skips
tests by default and they would flatter it) in fresh `pylint` processes, one file list, one job,
no persistence. The measure is the CPU time (user + system) of each child process, which a busy
machine disturbs far less than wall time; the runs alternate and the best of `--repeat` is kept.
Target: a ratio of at most 1.05.

Two more figures, for information: the CPU time spent inside the checker's own methods during
the run with the plugin (its attributable share, which machine load disturbs much less than the
ratio of two whole runs), and the plugin's cost alone (`--disable=all --enable=phase12`: our
messages only, so astroid infers only what the plugin asks for).

    python benchmarks/bench_pylint.py [--files 200] [--repeat 2] [--root DIR]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import sysconfig
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

TARGET = 1.05
PLUGIN = "flake8_phase12.pylint"
TEST_PARTS = frozenset({"test", "tests", "idle_test", "site-packages"})
# Run in a child: pylint with the plugin, timing the checker's methods with the process clock.
ATTRIBUTED = """
import sys, time
from pylint.lint import Run
from flake8_phase12.pylint.checker import Phase12Checker
spent = [0.0]
def timed(method):
    def wrapper(self, node):
        start = time.process_time()
        try:
            return method(self, node)
        finally:
            spent[0] += time.process_time() - start
    wrapper.__name__ = method.__name__
    wrapper.__dict__.update(method.__dict__)  # keeps pylint's only_required_for_messages marks
    return wrapper
for name in ("visit_module", "visit_call", "visit_attribute", "leave_module"):
    setattr(Phase12Checker, name, timed(getattr(Phase12Checker, name)))
start = time.process_time()
Run(sys.argv[1:], exit=False)
total = time.process_time() - start
print(f"ATTRIBUTED {spent[0]:.3f} {total:.3f}", file=sys.stderr)
"""


@dataclass(frozen=True)
class Timing:
    cpu: float
    wall: float
    messages: int
    ours: int


def corpus(root: Path, count: int) -> list[str]:
    """`count` standard-library modules, spread over the tree, in a stable order."""
    files = [path for path in sorted(root.rglob("*.py"))
             if not TEST_PARTS & set(path.relative_to(root).parts)
             and not path.name.startswith("test_")]
    step = max(len(files) // count, 1)
    return [str(path) for path in files[::step][:count]]


def pylint(args: list[str], files: list[str], rcfile: str, cwd: str) -> Timing:
    command = [sys.executable, "-m", "pylint", f"--rcfile={rcfile}", "--persistent=n",
               "--score=n", "--jobs=1", "--msg-template={msg_id}", *args, *files]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode & 32 or "Traceback" in result.stderr:
        raise SystemExit(f"pylint failed ({result.returncode}):\n{result.stderr[-2000:]}")
    ids = [line for line in result.stdout.splitlines() if line[:1] in "CRWEFI" and len(line) == 5]
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timing(cpu, wall, len(ids), sum(1 for msgid in ids if msgid[1:3] == "77"))


def attributed(files: list[str], rcfile: str, cwd: str) -> tuple[float, float]:
    """(CPU seconds inside the checker's methods, CPU seconds of the whole in-process run)."""
    command = [sys.executable, "-c", ATTRIBUTED, f"--rcfile={rcfile}", "--persistent=n",
               "--score=n", "--jobs=1", f"--load-plugins={PLUGIN}", *files]
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    line = next((line for line in result.stderr.splitlines() if line.startswith("ATTRIBUTED ")),
                None)
    if line is None:
        raise SystemExit(f"the attributed run failed:\n{result.stderr[-2000:]}")
    _, inside, total = line.split()
    return float(inside), float(total)


def best(timings: list[Timing]) -> Timing:
    return min(timings, key=lambda timing: timing.cpu)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--root", type=Path, default=Path(sysconfig.get_paths()["stdlib"]))
    args = parser.parse_args()

    files = corpus(args.root, args.files)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cpus, load {load:.1f}, "
          f"Python {platform.python_version()}, {platform.system()} {platform.release()}")
    print(f"corpus: {len(files)} files under {args.root}")
    variants = {
        "default pylint": [],
        "default + plugin": [f"--load-plugins={PLUGIN}"],
    }
    with tempfile.TemporaryDirectory() as scratch:
        rcfile = str(Path(scratch) / "empty.rc")
        Path(rcfile).write_text("", encoding="utf-8")
        runs: dict[str, list[Timing]] = {name: [] for name in variants}
        for _ in range(args.repeat):
            for name, extra in variants.items():  # alternate, so drifts in load hit both
                runs[name].append(pylint(extra, files, rcfile, scratch))
        alone = pylint([f"--load-plugins={PLUGIN}", "--disable=all", "--enable=phase12"],
                       files, rcfile, scratch)
        inside, total = attributed(files, rcfile, scratch)
    baseline, with_plugin = best(runs["default pylint"]), best(runs["default + plugin"])
    for name in variants:
        timing = best(runs[name])
        print(f"{name:>17}: cpu {timing.cpu:7.2f} s, wall {timing.wall:7.2f} s, "
              f"{timing.messages} messages ({timing.ours} from the plugin)")
    print(f"{'plugin alone':>17}: cpu {alone.cpu:7.2f} s, wall {alone.wall:7.2f} s "
          f"(--disable=all --enable=phase12; {alone.ours} messages)")
    print(f"{'inside the plugin':>17}: cpu {inside:7.2f} s of {total:.2f} s "
          f"({inside / total:.1%} of a run with the plugin)")
    ratio = with_plugin.cpu / baseline.cpu
    verdict = "ok" if ratio <= TARGET else "OVER TARGET"
    print(f"overhead: ratio {ratio:.3f} (target <= {TARGET}) {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
