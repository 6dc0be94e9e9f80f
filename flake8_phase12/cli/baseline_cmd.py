"""`phase12 baseline [PATH] [-o FILE]`: accept today's findings, report only new ones later.

Runs the same checks as `phase12 audit` (the configured test command only with `--test-command`)
and records every finding (file rules and project rules) in a baseline file in the project:
`-o FILE`, else `[tool.phase12] baseline`, else `.phase12-baseline.json` in the project root. Run
on a subdirectory, it keeps the entries of files outside it. `phase12 audit` then reads the file
automatically, and the flake8 plugin does when `baseline` is set in `[tool.phase12]`.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from flake8_phase12.baseline import (
    Baseline,
    baseline_path,
    covers,
    is_file_finding,
    load_baseline,
)
from flake8_phase12.cli import EXIT_OK, EXIT_USAGE
from flake8_phase12.cli.audit_cmd import positive_jobs, positive_seconds
from flake8_phase12.cli.output import checked_output, inside_project


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "baseline",
        help="record today's findings so that audits and flake8 report only new ones",
        description="Run the Phase 12 checks, as `phase12 audit` does, and write each finding's "
                    "fingerprint (path, code, enclosing Class.method, normalised source text) to "
                    "a baseline file in the project. Later audits, and flake8 when "
                    "[tool.phase12] baseline is set, report only findings that are not in it. "
                    "For PATH below the project root, the entries of files outside PATH are kept. "
                    "The configured test command is run only with --test-command.",
    )
    parser.add_argument("path", nargs="?", default=".", metavar="PATH",
                        help="the codebase (default: the current directory)")
    parser.add_argument("-o", "--output", metavar="FILE",
                        help="the baseline file, in the project (default: [tool.phase12] "
                             "baseline, else .phase12-baseline.json in the project root)")
    parser.add_argument("--config", metavar="FILE",
                        help="read [tool.phase12] from FILE instead of the nearest pyproject.toml")
    parser.add_argument("-j", "--jobs", type=positive_jobs, default=0, metavar="N",
                        help="worker processes for the file rules (default: one per CPU for large "
                             "codebases)")
    parser.add_argument("--test-command", action=argparse.BooleanOptionalAction, default=False,
                        help="also run [tool.phase12.tests] command and record its failure: it "
                             "runs code from the repository's configuration, as pytest and tox "
                             "do (default: not run)")
    parser.add_argument("--test-timeout", type=positive_seconds, default=600.0, metavar="SECONDS",
                        help="timeout of the test command (default: 600)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from flake8_phase12.audit import AuditOptions, load_audit_config, run_audit

    target = Path(args.path)
    config = load_audit_config(target, args.config)
    project_root = config.project_root.resolve()
    destination = baseline_path(project_root, config.baseline, args.output)
    checked_output(str(destination), config, baseline=True)
    inside_project(destination, config)
    options = AuditOptions(jobs=max(0, args.jobs), use_baseline=False,
                           run_test_command=args.test_command, test_timeout=args.test_timeout)
    result = run_audit(target, config, options)
    if result.errors:
        for error in result.errors:
            print(f"phase12: error: {error}", file=sys.stderr)
        print("phase12: error: some checks could not run; the baseline was not written",
              file=sys.stderr)
        return EXIT_USAGE
    recorded = Counter(finding.fingerprint for finding in result.findings)
    kept = _entries_outside(destination, _audited_prefix(target, project_root))
    baseline = Baseline(recorded + kept)
    baseline.save(destination)
    entries = len(baseline.entries)
    print(f"phase12: wrote {len(baseline)} finding{'s' if len(baseline) != 1 else ''} "
          f"({entries} entr{'ies' if entries != 1 else 'y'}) to {destination}"
          + (f"; kept {sum(kept.values())} of files outside {args.path}" if kept else ""))
    if not config.baseline and args.output:
        print(f"phase12: set `baseline = \"{args.output}\"` in [tool.phase12] so that audits and "
              f"flake8 use it")
    return EXIT_OK


def _audited_prefix(target: Path, project_root: Path) -> str:
    """The audited path relative to the project root ('' for the whole project)."""
    try:
        relative = target.resolve().relative_to(project_root).as_posix()
    except ValueError:
        return ""
    return "" if relative == "." else relative


def _entries_outside(destination: Path, prefix: str) -> Counter:
    """The existing baseline's entries this run could not have found: file findings of files
    outside the audited subdirectory. The project-wide checks (contracts, required tests,
    compatibility, the test command) ran whole, so their entries are replaced."""
    if not prefix or not destination.exists():
        return Counter()
    existing = load_baseline(destination)
    return Counter({fingerprint: count for fingerprint, count in existing.entries.items()
                    if is_file_finding(fingerprint) and not covers(prefix, fingerprint.path)})
