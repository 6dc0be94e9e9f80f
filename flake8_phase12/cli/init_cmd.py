"""`phase12 init [PATH]`: find the roles of an existing codebase and propose its configuration.

Exit codes: 0 roles found (proposal printed or written), 1 an essential role (the runner, the
execution method) could not be found, 2 usage error (missing path, unreadable or invalid
configuration, `--write` refused without `--force`).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from flake8_phase12.config import config_from_mapping
from flake8_phase12.init import WriteRefused, build_proposal, discover, write_proposal
from flake8_phase12.init.render import as_json, render_text
from flake8_phase12.init.writing import PYPROJECT, importlinter_target, read_pyproject

EXIT_OK, EXIT_MISSING, EXIT_USAGE = 0, 1, 2


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "init",
        help="find the roles of an existing codebase and propose its configuration",
        description="Find, statically, what executes plugins (the runner, the execution method, "
                    "the plugin base class), the validators, the error envelope, the metrics "
                    "update, the service chain from the routes down to the runner and the "
                    "registry; show how sure each finding is; and propose the [tool.phase12] "
                    "keys that differ from the defaults plus the import-linter contracts. "
                    "Dry run unless --write.",
    )
    parser.add_argument("path", nargs="?", default=".", help="the project root (default: .)")
    parser.add_argument("--write", action="store_true",
                        help="add the proposal to pyproject.toml (and setup.cfg when import-linter "
                             "is configured there), keeping existing content and comments")
    parser.add_argument("--force", action="store_true",
                        help="with --write: replace the role keys of an existing [tool.phase12] and "
                             "contracts with the same id")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    root = Path(args.path)
    if not root.is_dir():
        problem = "not a directory" if root.exists() else "no such directory"
        print(f"phase12: error: {root}: {problem} (give the project root)", file=sys.stderr)
        return EXIT_USAGE
    if args.force and not args.write:
        print("phase12: error: --force only applies with --write", file=sys.stderr)
        return EXIT_USAGE
    document = read_pyproject(root)
    excludes = _configured_excludes(root, document)
    importlinter_file = importlinter_target(root).name
    discovery = discover(root, excludes)
    proposal = None if discovery.missing else build_proposal(discovery)
    written, refusal = None, ""
    if proposal is not None:
        try:
            written = write_proposal(root, proposal, force=args.force, dry_run=not args.write)
        except WriteRefused as exc:
            if args.write:
                print(f"phase12: error: {exc}", file=sys.stderr)
                return EXIT_USAGE
            refusal = str(exc)
    if args.format == "json":
        print(json.dumps(as_json(discovery, proposal, importlinter_file, written, refusal), indent=2))
    else:
        print(render_text(discovery, proposal, importlinter_file, written, refusal))
    return EXIT_MISSING if discovery.missing else EXIT_OK


def _configured_excludes(root: Path, document) -> tuple[str, ...] | None:
    """The paths an existing `[tool.phase12]` excludes, so roles are looked for where the
    checks look (an invalid table is reported like any configuration error)."""
    table = document.get("tool", {}).get("phase12") if document is not None else None
    if table is None:
        return None
    config = config_from_mapping(table.unwrap(), source=str(root / PYPROJECT), project_root=root)
    return config.all_excludes
