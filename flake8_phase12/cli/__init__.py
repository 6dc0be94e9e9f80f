"""The `phase12` command: one subcommand per module, each with `register(subparsers)`.

A subcommand module adds its parser and sets `func=<callable(args) -> int>` with
`set_defaults`. Exit codes: 0 success, 1 findings, 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from flake8_phase12 import __version__
from flake8_phase12.config import ConfigError

SUBCOMMAND_MODULES = (
    "flake8_phase12.cli.rules_cmd",
    "flake8_phase12.cli.config_cmd",
    "flake8_phase12.cli.compat_cmd",
    "flake8_phase12.cli.audit_cmd",
    "flake8_phase12.cli.baseline_cmd",
    "flake8_phase12.cli.init_cmd",
)
EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="phase12",
        description="Check a codebase against the Phase 12 execution-governance checklist.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in SUBCOMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "func"):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return int(args.func(args))
    except ConfigError as exc:
        print(f"phase12: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("phase12: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
