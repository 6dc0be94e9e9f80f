"""`phase12 baseline [PATH] [-o FILE]`: accept today's findings, report only new ones later.

Runs the same checks as `phase12 audit` and records every finding (file rules and project rules)
in a baseline file: `-o FILE`, else `[tool.phase12] baseline`, else `.phase12-baseline.json` in the
project root. `phase12 audit` then reads it automatically, and the flake8 plugin does when
`baseline` is set in `[tool.phase12]`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from flake8_phase12.cli import EXIT_OK, EXIT_USAGE
from flake8_phase12.cli.audit_cmd import positive_jobs, positive_seconds


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "baseline",
        help="record today's findings so that audits and flake8 report only new ones",
        description="Run every Phase 12 check, as `phase12 audit` does, and write each finding's "
                    "fingerprint (path, code, enclosing Class.method, normalised source text) to "
                    "a baseline file. Later audits, and flake8 when [tool.phase12] baseline is "
                    "set, report only findings that are not in it.",
    )
    parser.add_argument("path", nargs="?", default=".", metavar="PATH",
                        help="the codebase (default: the current directory)")
    parser.add_argument("-o", "--output", metavar="FILE",
                        help="the baseline file (default: [tool.phase12] baseline, else "
                             ".phase12-baseline.json in the project root)")
    parser.add_argument("--config", metavar="FILE",
                        help="read [tool.phase12] from FILE instead of the nearest pyproject.toml")
    parser.add_argument("-j", "--jobs", type=positive_jobs, default=0, metavar="N",
                        help="worker processes for the file rules (default: one per CPU for large "
                             "codebases)")
    parser.add_argument("--no-test-command", action="store_true",
                        help="do not run [tool.phase12.tests] command")
    parser.add_argument("--test-timeout", type=positive_seconds, default=600.0, metavar="SECONDS",
                        help="timeout of the test command (default: 600)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from flake8_phase12.audit import AuditOptions, load_audit_config, run_audit
    from flake8_phase12.baseline import Baseline, baseline_path

    target = Path(args.path)
    config = load_audit_config(target, args.config)
    options = AuditOptions(jobs=max(0, args.jobs), use_baseline=False,
                           run_test_command=not args.no_test_command,
                           test_timeout=args.test_timeout)
    result = run_audit(target, config, options)
    if result.errors:
        for error in result.errors:
            print(f"phase12: error: {error}", file=sys.stderr)
        print("phase12: error: some checks could not run; the baseline was not written",
              file=sys.stderr)
        return EXIT_USAGE
    destination = baseline_path(config.project_root.resolve(), config.baseline, args.output)
    baseline = Baseline.from_fingerprints(finding.fingerprint for finding in result.findings)
    baseline.save(destination)
    entries = len(baseline.entries)
    print(f"phase12: wrote {len(baseline)} finding{'s' if len(baseline) != 1 else ''} "
          f"({entries} entr{'ies' if entries != 1 else 'y'}) to {destination}")
    if not config.baseline and args.output:
        print(f"phase12: set `baseline = \"{args.output}\"` in [tool.phase12] so that audits and "
              f"flake8 use it")
    return EXIT_OK
