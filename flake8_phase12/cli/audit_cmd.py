"""`phase12 audit [PATH]`: the checklist filled in with evidence, and the verdict.

Exit status: 0 when Phase 12 is complete, 1 when it is not, 2 for a usage or configuration error
(the report is still printed when only some checks could not run).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TextIO

from flake8_phase12.atomic import write_file
from flake8_phase12.cli import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE
from flake8_phase12.cli.output import checked_output

FORMATS = ("text", "json", "sarif", "github")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "audit",
        help="run every check and print the Phase 12 checklist with evidence and the verdict",
        description="Run every Phase 12 check on a codebase (the GOV file rules, the import "
                    "contracts, the Phase 11 compatibility check, the required tests and the "
                    "configured test command) and print the checklist: each item passed, failed "
                    "(with file:line evidence) or not verified, and the verdict. Exit status: 0 "
                    "complete, 1 not complete, 2 usage or configuration error, or something "
                    "could not be checked (an unreadable path: the verdict is 'not verified'). "
                    "The audit runs code of the repository, as pytest, tox and lint-imports do: "
                    "[tool.phase12.tests] command (--no-test-command skips it) and import-linter "
                    "contract types the repository defines, each in a process of its own; audit "
                    "only a repository whose code you would run.",
    )
    parser.add_argument("path", nargs="?", default=".", metavar="PATH",
                        help="the codebase to audit (default: the current directory)")
    parser.add_argument("--config", metavar="FILE",
                        help="read [tool.phase12] from FILE instead of the nearest pyproject.toml")
    parser.add_argument("--format", choices=FORMATS, default="text",
                        help="text (default), json, sarif (SARIF 2.1.0 for code scanning) or "
                             "github (workflow annotations)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE")
    parser.add_argument("-j", "--jobs", type=positive_jobs, default=0, metavar="N",
                        help="worker processes for the file rules (default: one per CPU for large "
                             "codebases; the result is the same for every N)")
    parser.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                        help="show progress on stderr (default: only when stderr is a terminal)")
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                        help="colour the text report (auto: when stdout is a terminal and "
                             "NO_COLOR is not set)")
    parser.add_argument("--baseline", metavar="FILE",
                        help="accept the findings recorded in FILE (default: [tool.phase12] "
                             "baseline, else .phase12-baseline.json in the project root if present)")
    parser.add_argument("--no-baseline", action="store_true", help="report every finding")
    parser.add_argument("--against", metavar="REF",
                        help="the Phase 11 source for the compatibility check (overrides "
                             "[tool.phase12.compat] against)")
    parser.add_argument("--no-test-command", action="store_true",
                        help="do not run [tool.phase12.tests] command (by default the audit runs "
                             "it: code from the repository's configuration, as pytest and tox "
                             "run it)")
    parser.add_argument("--test-timeout", type=positive_seconds, default=600.0, metavar="SECONDS",
                        help="timeout of the test command (default: 600)")
    parser.add_argument("--allow-unverified", action="store_true",
                        help="report items nothing could verify, but do not fail on them")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="text report: also list each item's checks and bullets, and notes")
    parser.set_defaults(func=run)


def positive_jobs(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of processes, got {value!r}") \
            from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1 process, got {number}")
    return number


def positive_seconds(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {value!r}") from None
    if not 0 < number < float("inf"):  # also false for nan
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, got {value!r}")
    return number


def run(args: argparse.Namespace) -> int:
    from flake8_phase12.audit import AuditOptions, load_audit_config, run_audit

    target = Path(args.path)
    config = load_audit_config(target, args.config)
    output = checked_output(args.output, config) if args.output else None
    progress = Progress(sys.stderr, enabled=_progress_enabled(args.progress))
    options = AuditOptions(
        jobs=args.jobs, run_test_command=not args.no_test_command, test_timeout=args.test_timeout,
        baseline=args.baseline, use_baseline=not args.no_baseline,
        strict=not args.allow_unverified, against=args.against,
        stage=progress.stage, file_progress=progress.files)
    try:
        result = run_audit(target, config, options)
    finally:
        progress.done()
    report = render(result, args)
    if output is not None:
        write_file(output, report + "\n")
    else:
        print(report)
    if result.errors:
        for error in result.errors:
            print(f"phase12: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK if result.complete else EXIT_FINDINGS


def render(result, args: argparse.Namespace) -> str:  # noqa: ANN001 - AuditResult, imported lazily
    if args.format == "json":
        from flake8_phase12.audit.report_json import render_json
        return render_json(result)
    if args.format == "sarif":
        from flake8_phase12.audit.report_sarif import render_sarif
        return render_sarif(result)
    if args.format == "github":
        from flake8_phase12.audit.report_github import render_github
        return render_github(result)
    from flake8_phase12.audit.report_text import Style, render_text
    stream = None if args.output else sys.stdout
    return render_text(result, Style(color=_color(args.color, stream), unicode=_unicode(stream)),
                       verbose=args.verbose)


def _color(choice: str, stream: TextIO | None) -> bool:
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    return stream is not None and stream.isatty()


def _unicode(stream: TextIO | None) -> bool:
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        "✔✘·→".encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def _progress_enabled(choice: bool | None) -> bool:
    if choice is not None:
        return choice
    return sys.stderr.isatty()


class Progress:
    """Progress on stderr: a self-updating line on a terminal, plain lines otherwise."""

    def __init__(self, stream: TextIO, enabled: bool) -> None:
        self.stream = stream
        self.enabled = enabled
        self.interactive = enabled and stream.isatty()
        self._last_decile = -1
        self._dirty = False

    def stage(self, message: str) -> None:
        if self.enabled:
            self._write(f"phase12: {message}")

    def files(self, done: int, total: int) -> None:
        if not self.enabled or not total:
            return
        decile = done * 10 // total
        if self.interactive or decile != self._last_decile:
            self._last_decile = decile
            self._write(f"phase12: checked {done}/{total} files")

    def done(self) -> None:
        if self.interactive and self._dirty:
            self.stream.write("\r\033[K")
            self.stream.flush()

    def _write(self, text: str) -> None:
        if self.interactive:
            self.stream.write(f"\r\033[K{text}")
            self._dirty = True
        else:
            self.stream.write(text + "\n")
        self.stream.flush()
