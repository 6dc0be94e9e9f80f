"""Regenerate the generated parts of README.md and docs/rules.md from their single sources.

    python scripts/sync_docs.py          # rewrite
    python scripts/sync_docs.py --check  # exit 1 if anything is out of date (CI and tests)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from flake8_phase12.cli.rules_cmd import render_markdown, render_table
from flake8_phase12.config.reference import render_markdown as render_reference
from flake8_phase12.rule_index import all_rules

ROOT = Path(__file__).resolve().parents[1]


def replace_block(text: str, name: str, body: str) -> str:
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    head, _, rest = text.partition(start)
    _, _, tail = rest.partition(end)
    if not rest:
        raise SystemExit(f"README.md: marker {start} not found")
    return f"{head}{start}\n{body}\n{end}{tail}"


def expected_files() -> dict[Path, str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    readme = replace_block(readme, "config-reference", render_reference())
    readme = replace_block(readme, "rules-table", render_table(list(all_rules())))
    return {ROOT / "README.md": readme, ROOT / "docs" / "rules.md": render_markdown(list(all_rules()))}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    stale = []
    for path, text in expected_files().items():
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current != text:
            stale.append(path)
            if not args.check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    if args.check and stale:
        names = ", ".join(str(path.relative_to(ROOT)) for path in stale)
        print(f"out of date: {names}; run `python scripts/sync_docs.py`", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
