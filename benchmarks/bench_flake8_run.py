"""A whole flake8 run with the GOV plugin over the same run without it (target: at most 1.03).

"Whole run" means what a user or CI runs: `flake8 .` in a project, with flake8's default
checks (pycodestyle, pyflakes, mccabe) plus ours, `--jobs 2`. Two projects:

- a spread of standard-library files (default 300) copied into a project with a
  `[tool.phase12]` table, the headline figure;
- `examples/compliant`, the checklist-shaped example (20 files, every rule's gate opens on
  its role modules), where start-up costs weigh most.

"Without the plugin" is the same flake8 in the same environment with the plugin's distribution
hidden from flake8's plugin discovery, so the difference is the plugin's whole cost: import,
option registration, `parse_options` and the checks (see `_flake8_runs.py`). Both sides run
alternately `--repeat` times; the ratio is of CPU times, best of each side (wall times are
printed too).

    python benchmarks/bench_flake8_run.py [--files 300] [--repeat 5] [--jobs 2] [--root DIR]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import sysconfig
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _flake8_runs import (  # noqa: E402
    alternate,
    check_the_plugin_is_really_away,
    compile_the_plugin,
    report,
)

TARGET = 1.03
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "compliant"


def spread(root: Path, count: int) -> list[Path]:
    files = [path for path in sorted(root.rglob("*.py"))
             if "site-packages" not in path.relative_to(root).parts and path.is_file()]
    step = max(1, len(files) // count)
    return files[::step][:count]


def stdlib_project(root: Path, count: int, target: Path) -> int:
    target.mkdir(parents=True)
    (target / "pyproject.toml").write_text("[tool.phase12]\n", encoding="utf-8")
    files = spread(root, count)
    for path in files:
        destination = target / "lib" / path.relative_to(root)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, destination)
    return len(files)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--root", type=Path, default=Path(sysconfig.get_paths()["stdlib"]))
    args = parser.parse_args()

    print(f"machine: {platform.machine()}, {os.cpu_count()} cpus, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f}")
    flake8_args = [f"--jobs={args.jobs}", "--exit-zero", "."]
    with tempfile.TemporaryDirectory() as scratch:
        project = Path(scratch) / "stdlib-project"
        count = stdlib_project(args.root, args.files, project)
        compile_the_plugin()
        check_the_plugin_is_really_away(project)
        print(f"\n[stdlib sample] `flake8 {' '.join(flake8_args)}` over {count} files from {args.root}, "
              f"{args.repeat} runs each")
        headline = report(alternate(flake8_args, project, args.repeat), TARGET)

        if EXAMPLE.is_dir():
            example = Path(scratch) / "example"
            shutil.copytree(EXAMPLE, example, ignore=shutil.ignore_patterns("__pycache__"))
            repeat = args.repeat * 4
            print(f"\n[examples/compliant] `flake8 {' '.join(flake8_args)}`, {repeat} runs each")
            report(alternate(flake8_args, example, repeat), TARGET)
    print(f"\nheadline (stdlib sample): ratio {headline:.3f} (target <= {TARGET}) "
          f"{'ok' if headline <= TARGET else 'OVER TARGET'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
