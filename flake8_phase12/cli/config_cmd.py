"""`phase12 config`: the configuration that governs a path, and the key reference."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from flake8_phase12.config import load_config
from flake8_phase12.config.reference import as_table, render_markdown


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "config",
        help="show the configuration that governs a path, or the reference of every key",
        description="Print the effective [tool.phase12] configuration for PATH (found by "
                    "walking up from it), with where it came from; or, with --reference, the "
                    "table of every key with its type, default and meaning.",
    )
    parser.add_argument("path", nargs="?", default=".", help="file or directory (default: .)")
    parser.add_argument("--config", metavar="FILE", help="read this file instead of discovering")
    parser.add_argument("--reference", action="store_true", help="print the key reference")
    parser.add_argument("--format", choices=("toml", "json"), default="toml")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.reference:
        print(render_markdown())
        return 0
    path = Path(args.path)
    if not path.exists():
        print(f"phase12: error: {path}: no such file or directory", file=sys.stderr)
        return 2
    config = load_config(args.config) if args.config else load_config(start=path)
    table = as_table(config)
    # Every runner role the configuration names (`runner` and `runner.also`), as the rules read it.
    roles = [target.written for target in config.runner.targets]
    if args.format == "json":
        print(json.dumps({"source": config.source, "project_root": str(config.project_root),
                          "runner_roles": roles, "tool": {"phase12": table}}, indent=2))
        return 0
    import tomlkit

    document = tomlkit.document()
    document.add(tomlkit.comment(f"source: {config.source}"))
    document.add(tomlkit.comment(f"project root: {config.project_root}"))
    document.add(tomlkit.comment(f"runner roles: {', '.join(roles) or '(none)'}"))
    document["tool"] = {"phase12": table}
    print(tomlkit.dumps(document).rstrip())
    return 0
