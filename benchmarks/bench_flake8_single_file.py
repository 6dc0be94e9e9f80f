"""One file through flake8 as an editor lints it, with the GOV plugin over without it
(target: at most 1.05).

Editors run a fresh flake8 per keystroke pause: the buffer on stdin, `--stdin-display-name`
with the file's path, from the workspace root (python-lsp-server, VS Code's flake8 extension).
So start-up (interpreter, flake8, plugin import and option parsing) is most of the cost, and the
plugin's import time matters as much as its checks. The file is the example's runner module,
`examples/compliant/server/app/services/tool_runner.py`, where the most checks run; a plain
module (`server/app/validation.py`) is measured too.

"Without the plugin" is the same flake8 in the same environment with the plugin's distribution
hidden from flake8's plugin discovery (see `_flake8_runs.py`). Many alternating repetitions;
min and median of CPU and wall time for both, ratio of the CPU minima as the headline.

    python benchmarks/bench_flake8_single_file.py [--repeat 40]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _flake8_runs import (  # noqa: E402
    alternate,
    check_the_plugin_is_really_away,
    compile_the_plugin,
    report,
)

TARGET = 1.05
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "compliant"
FILES = ("server/app/services/tool_runner.py", "server/app/validation.py")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--workspace", type=Path, default=EXAMPLE)
    args = parser.parse_args()

    print(f"machine: {platform.machine()}, {os.cpu_count()} cpus, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f}")
    compile_the_plugin()
    check_the_plugin_is_really_away(args.workspace)
    headline = None
    for name in FILES:
        path = args.workspace / name
        if not path.is_file():
            print(f"\n[{name}] not found, skipped")
            continue
        flake8_args = ["--exit-zero", "--stdin-display-name", str(path), "-"]
        print(f"\n[{name}] `flake8 --stdin-display-name <absolute path> -` from the workspace root, "
              f"{args.repeat} runs each")
        timings = alternate(flake8_args, args.workspace, args.repeat,
                            stdin=path.read_text(encoding="utf-8"))
        ratio = report(timings, TARGET, unit=1000, label="ms")
        headline = ratio if headline is None else headline
    if headline is None:
        print("no file to lint")
        return 1
    print(f"\nheadline (runner module): ratio {headline:.3f} (target <= {TARGET}) "
          f"{'ok' if headline <= TARGET else 'OVER TARGET'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
