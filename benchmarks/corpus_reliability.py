"""The full reliability run: both plugins over the standard library and every site-packages
directory of this environment, with a configuration that excludes nothing.

Prints, for each run, the number of files, the wall time, the findings by code, and every
crash or internal error (`GOV000`, pylint's `astroid-error`/`fatal`, a traceback). Every finding
on this third-party code is listed with file:line, because each one is either a true positive
in somebody's library or a false positive of ours. The in-process part also says on how many
files each check's gate opened, i.e. how often a check really ran on real code.

    python benchmarks/corpus_reliability.py [--jobs 2] [--flake8-files N] [--pylint-files N]

CI runs a sampled version of this (`tests/reliability/test_reliability_corpus.py`, marked slow);
this script is the on-demand full run (`PHASE12_FULL_CORPUS=1` makes the tests full as well).
Exit status 1 when a crash or an internal error was seen, else 0.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import platform
import re
import site
import subprocess
import sys
import sysconfig
import tempfile
import time
import warnings
from collections import Counter
from pathlib import Path

from flake8_phase12.analysis.context import FileContext
from flake8_phase12.config import load_config
from flake8_phase12.lint_file import check_file, concerned_checks

FLAKE8_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>[A-Z]+\d+) (?P<text>.*)$")


def corpus_files() -> list[Path]:
    roots = [Path(sysconfig.get_paths()["stdlib"])]
    roots += [Path(path) for path in site.getsitepackages() if Path(path).is_dir()]
    if site.ENABLE_USER_SITE and Path(site.getusersitepackages()).is_dir():
        roots.append(Path(site.getusersitepackages()))
    found: dict[Path, None] = {}
    for root in roots:
        for path in sorted(root.rglob("*.py")):
            if root.name != "site-packages" and "site-packages" in path.relative_to(root).parts:
                continue  # a base interpreter's own site-packages: another environment
            if path.is_file():
                found.setdefault(path, None)
    return list(found)


def spread(files: list[Path], size: int | None) -> list[Path]:
    if size is None or size >= len(files):
        return files
    step = max(1, len(files) // size)
    return files[::step][:size]


def in_process(files: list[Path], config_file: Path) -> bool:
    config = load_config(config_file)
    gates, codes, internal = Counter(), Counter(), []
    parse_time = engine_time = 0.0
    linted = skipped = 0
    for path in files:
        try:
            source = path.read_text(encoding="utf-8")
            start = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tree = ast.parse(source)
            parse_time += time.perf_counter() - start
        except (OSError, UnicodeDecodeError, SyntaxError, ValueError, RecursionError):
            skipped += 1
            continue
        linted += 1
        probe = FileContext(tree, str(path), config, source)
        for check in concerned_checks(probe, []):
            gates[check.name] += 1
        start = time.perf_counter()
        findings = check_file(tree, str(path), config, source)
        engine_time += time.perf_counter() - start
        for finding in findings:
            codes[finding.code] += 1
            if finding.code == "GOV000":
                internal.append(f"{path}:{finding.line}: {finding.message}")
    print(f"\n== in-process engine: {linted} files linted, {skipped} unreadable or unparseable ==")
    print(f"ast.parse {parse_time:.1f} s, engine {engine_time:.1f} s "
          f"(ratio {engine_time / parse_time:.3f})")
    print("gate opened (files a check ran on): "
          + (", ".join(f"{name} {count}" for name, count in sorted(gates.items())) or "none"))
    print(f"findings by code: {dict(sorted(codes.items())) or 'none'}")
    for line in internal:
        print(f"  INTERNAL ERROR {line}")
    return not internal


def real_flake8(files: list[Path], config_file: Path, jobs: int, site_dirs: list[str]) -> bool:
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--select=GOV", f"--jobs={jobs}",
         f"--phase12-config={config_file}", *map(str, files)],
        capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    codes, listed = Counter(), []
    for line in result.stdout.splitlines():
        match = FLAKE8_LINE.match(line)
        if match:
            codes[match["code"]] += 1
            listed.append(line)
    crashed = "Traceback" in result.stderr or "failed during execution" in result.stderr
    print(f"\n== real flake8 --jobs {jobs}: {len(files)} files in {elapsed:.1f} s, "
          f"exit {result.returncode}{', CRASHED' if crashed else ''} ==")
    print(f"findings by code: {dict(sorted(codes.items())) or 'none'}")
    for line in listed:
        where = "site-packages" if any(line.startswith(path) for path in site_dirs) else "stdlib"
        print(f"  [{where}] {line}")
    if crashed:
        print(result.stderr[-5000:])
    return not crashed and "GOV000" not in codes


def real_pylint(files: list[Path], config_file: Path, jobs: int) -> bool:
    from flake8_phase12.pylint.messages import messages

    symbols = ",".join(message.symbol for message in messages())
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "pylint", "--load-plugins=flake8_phase12.pylint", "--disable=all",
         f"--enable={symbols},astroid-error,fatal", f"--phase12-config={config_file}",
         "--persistent=n", "--score=n", "--output-format=json2", f"--jobs={jobs}",
         *map(str, files)],
        capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    try:
        found = json.loads(result.stdout)["messages"]
    except (json.JSONDecodeError, KeyError):
        print(f"\n== real pylint: unreadable output, exit {result.returncode} ==")
        print(result.stderr[-5000:])
        return False
    symbols_seen = Counter(item["symbol"] for item in found)
    crashed = "Traceback" in result.stderr
    bad = [item for item in found if item["symbol"] in (
        "phase12-internal-error", "phase12-config-error", "astroid-error", "fatal")]
    print(f"\n== real pylint --jobs {jobs} with the plugin: {len(files)} files in {elapsed:.1f} s, "
          f"exit {result.returncode}{', CRASHED' if crashed else ''} ==")
    print(f"messages by symbol: {dict(sorted(symbols_seen.items())) or 'none'}")
    for item in found:
        print(f"  {item['path']}:{item['line']}: {item['symbol']}: {item['message'][:160]}")
    if crashed:
        print(result.stderr[-5000:])
    return not crashed and not bad


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--flake8-files", type=int, default=None, help="default: every file")
    parser.add_argument("--pylint-files", type=int, default=1000)
    parser.add_argument("--skip-pylint", action="store_true")
    args = parser.parse_args()

    files = corpus_files()
    site_dirs = [str(path) for path in site.getsitepackages()]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cpus, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"corpus: {len(files)} files (stdlib {sysconfig.get_paths()['stdlib']}; "
          f"site-packages {', '.join(site_dirs)})")
    with tempfile.TemporaryDirectory() as scratch:
        config_file = Path(scratch) / "phase12.toml"
        config_file.write_text("exclude = []\n", encoding="utf-8")
        healthy = in_process(files, config_file)
        healthy &= real_flake8(spread(files, args.flake8_files), config_file, args.jobs, site_dirs)
        if not args.skip_pylint:
            healthy &= real_pylint(spread(files, args.pylint_files), config_file, args.jobs)
    print(f"\nverdict: {'no crash, no internal error' if healthy else 'FAILURES (see above)'}")
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
