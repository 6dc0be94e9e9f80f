"""`phase12 compat` and `phase12 snapshot`: checklist §8, Phase 11 compatibility.

`compat` exits 0 when the working tree keeps the Phase 11 surface, 1 when it breaks it, and 2
for a usage or configuration error (raised as `ConfigError`, printed by `phase12`'s `main`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from flake8_phase12.atomic import write_file
from flake8_phase12.cli.output import checked_output
from flake8_phase12.config import Config, ConfigError, load_config

AGAINST_HELP = (
    "the Phase 11 source: a snapshot file (.json, from `phase12 snapshot`), a directory holding the "
    "Phase 11 tree, or a git ref (HEAD~3, a tag, a branch) of the repository holding PATH; tried in "
    "that order. Default: `against` in [tool.phase12.compat]"
)


def register(subparsers: argparse._SubParsersAction) -> None:
    compat = subparsers.add_parser(
        "compat",
        help="report breaking changes of the Phase 11 public surface (checklist §8)",
        description="Compare the Phase 11 public surface (a git ref, a directory or a snapshot) with the "
                    "working tree and report every breaking change: removed or renamed names and fields, "
                    "changed signatures, routes, returned dict shapes, plugin interfaces and exceptions. "
                    "Exit status: 0 compatible, 1 breaking changes, 2 usage or configuration error.",
    )
    _add_common_arguments(compat)
    compat.add_argument("--against", metavar="REF", help=AGAINST_HELP)
    compat.add_argument("--format", choices=("text", "json"), default="text",
                        help="text for terminals (default) or json")
    compat.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE instead of stdout")
    compat.set_defaults(func=run_compat)

    snapshot = subparsers.add_parser(
        "snapshot",
        help="save the public surface to a JSON file for a later `phase12 compat --against FILE`",
        description="Save the public surface of PATH (modules, classes, signatures, fields, routes, return "
                    "shapes, plugin interfaces) as a versioned JSON snapshot, so CI can run `phase12 compat "
                    "--against FILE` without the Phase 11 history.",
    )
    _add_common_arguments(snapshot)
    snapshot.add_argument("-o", "--output", metavar="FILE",
                          help="write the snapshot to FILE (default: stdout)")
    snapshot.set_defaults(func=run_snapshot)


def _add_common_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", nargs="?", metavar="PATH", default=None,
                        help="the project root (default: the directory of the discovered configuration, "
                             "else the current directory)")
    parser.add_argument("--config", metavar="FILE", help="read the configuration from FILE")


def run_compat(args: argparse.Namespace) -> int:
    from flake8_phase12.compat import check_compat

    project_root, config = resolve_project(args.path, args.config)
    output = checked_output(args.output, config) if args.output else None
    against = _against(args.against, config)
    report = check_compat(project_root, config, against)
    text = report.to_json() if args.format == "json" else report.to_text()
    if output is not None:
        write_file(output, text + "\n")
    else:
        print(text)
    return report.exit_code


def run_snapshot(args: argparse.Namespace) -> int:
    from flake8_phase12.compat import dumps_snapshot, load_surface, write_snapshot

    project_root, config = resolve_project(args.path, args.config)
    output = checked_output(args.output, config) if args.output else None
    surface = load_surface(project_root, config)
    if not any(obj.kind == "module" for obj in surface.objects.values()):
        raise ConfigError(f"no Python modules found under {project_root} (compat.paths: "
                          f"{', '.join(config.compat.paths)}): nothing to snapshot")
    for warning in surface.warnings:
        print(f"phase12: warning: {warning}", file=sys.stderr)
    if output is not None:
        write_snapshot(surface, output)
        print(f"phase12: wrote the surface of {project_root} ({len(surface.objects)} objects, "
              f"{len(surface.routes)} routes) to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(dumps_snapshot(surface))
    return 0


def resolve_project(path: str | None, config_file: str | None) -> tuple[Path, Config]:
    """The project root and its configuration.

    An explicit PATH is the root. Without one, the root is the directory of the discovered
    `[tool.phase12]` configuration, so the command behaves the same from any subdirectory.
    """
    start = Path(path).resolve() if path is not None else Path.cwd()
    if not start.is_dir():
        raise ConfigError(f"{path}: not a directory")
    config = load_config(config_file) if config_file else load_config(start=start)
    if path is not None:
        return start, config
    if config.source != "<defaults>":
        return Path(config.project_root).resolve(), config
    return start, config


def _against(option: str | None, config: Config) -> str:
    """`--against` wins over the configuration; paths are made absolute from where they were written."""
    if option is not None:
        candidate = Path(option).expanduser()
        return str(candidate.resolve()) if candidate.exists() and not candidate.is_absolute() else option
    configured = config.compat.against
    if not configured:
        from flake8_phase12.compat.sources import NO_SOURCE

        raise ConfigError(NO_SOURCE)
    candidate = Path(config.project_root) / configured
    return str(candidate.resolve()) if candidate.exists() else configured
