"""Detection benchmark: how many realistic violations the product finds on Phase 12 servers
written by others, per checklist section, and how many findings it makes on compliant code.

For each corpus (`../shared/corpora/*` and the bundled example, `examples/corpus/`), in two
modes (adopted: `phase12 init --write`; configured: a table written from `roles.json`), the
compliant tree is checked once, then every mutant is applied to a fresh copy and checked
again; a mutant is detected by a tool when a new finding appears in its section (see
`detection/scoring.py`). Every finding on a compliant tree is a false positive.

    python benchmarks/mutation_score.py [--corpus NAME|PATH ...] [--mode adopted|configured]
        [--tools flake8,audit] [--mutant ID ...] [-j N] [--json] [--write-readme]

Targets (shown, never asserted by tests): configured mode, at least 95% of the in-scope
mutants of each section 1-7 detected by flake8 or pylint, section 8 by the audit, and no
finding on the compliant trees; adopted mode, the same figures.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPOSITORY = HERE.parent
sys.path.insert(0, str(HERE))

# pylint: disable=wrong-import-position
from detection.configure import configured, tool_environment, write_adopted, write_configured  # noqa: E402
from detection.corpora import Corpus, Mutant, apply, copy_tree, discover  # noqa: E402
from detection.report import render_readme, render_text, to_json  # noqa: E402
from detection.scoring import CleanResult, MutantResult, score  # noqa: E402
from detection.tools import (  # noqa: E402
    TOOLS, ToolRun, run_audit, run_flake8, run_lint_imports, run_pylint)


def _shared_corpora() -> Path:
    """`../shared/corpora` beside the repository (as CI has it), or beside a folder above it
    (a git worktree kept under another folder)."""
    for folder in REPOSITORY.parents:
        if (folder / "shared" / "corpora").is_dir():
            return folder / "shared" / "corpora"
    return REPOSITORY.parent / "shared" / "corpora"


DEFAULT_CORPORA = [_shared_corpora(), REPOSITORY / "examples" / "corpus"]
MODES = ("adopted", "configured")
TARGET = 0.95
README = REPOSITORY / "README.md"


@dataclass
class Prepared:
    """A corpus configured in one mode: the template tree every mutant is copied from."""

    corpus: Corpus
    mode: str
    base: Path  # holds clean/ (the project) and phase11/
    gaps: list[str]
    init_report: str = ""
    clean: CleanResult | None = None
    results: list[MutantResult] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def project(self) -> Path:
        return self.base / "clean"


class Bench:
    def __init__(self, workdir: Path, tools: tuple[str, ...]) -> None:
        self.workdir = workdir
        self.tools = tools
        self.cache = workdir / "phase12-cache"

    def env(self, prepared: Prepared, project: Path) -> dict[str, str]:
        return tool_environment(self.cache, prepared.corpus.roles.get("source_roots") or [], project)

    def prepare(self, corpus: Corpus, mode: str) -> Prepared:
        base = self.workdir / corpus.name / mode / "base"
        project = copy_tree(corpus, base)
        prepared = Prepared(corpus, mode, base, gaps=[])
        env = self.env(prepared, project)
        if mode == "adopted":
            prepared.init_report, status = write_adopted(project, env)
            if status not in (0, 1):
                prepared.gaps.append(f"init failed (exit {status}): {prepared.init_report.strip()[-300:]}")
        else:
            configuration = configured(corpus.roles, project)
            write_configured(project, configuration)
            prepared.gaps = configuration.gaps
        return prepared

    def run_tools(self, prepared: Prepared, project: Path, changed: str | None) -> dict[str, ToolRun]:
        env = self.env(prepared, project)
        runs: dict[str, ToolRun] = {}
        if "flake8" in self.tools:
            runs["flake8"] = run_flake8(project, env, [changed] if changed else None)
        if "pylint" in self.tools:
            targets = [changed] if changed else self.pylint_targets(prepared, project)
            runs["pylint"] = run_pylint(project, env, targets)
        if "lint-imports" in self.tools:
            runs["lint-imports"] = run_lint_imports(project, env, contract_sections(project))
        if "audit" in self.tools:
            runs["audit"] = run_audit(project, env)
        return runs

    @staticmethod
    def pylint_targets(prepared: Prepared, project: Path) -> list[str]:
        roots = prepared.corpus.roles.get("source_roots") or ["."]
        packages = prepared.corpus.roles.get("packages") or []
        targets = [f"{root}/{package}" for root in roots for package in packages
                   if (project / root / package).is_dir()]
        return ["--recursive=y", *(targets or roots)]

    def check_clean(self, prepared: Prepared) -> None:
        prepared.clean = CleanResult(self.run_tools(prepared, prepared.project, None),
                                     prepared.corpus.lookalikes)

    def check_mutant(self, prepared: Prepared, mutant: Mutant) -> MutantResult:
        base = self.workdir / prepared.corpus.name / prepared.mode / mutant.id
        shutil.copytree(prepared.base, base, symlinks=True)
        try:
            project = base / "clean"
            apply(mutant, project)
            runs = self.run_tools(prepared, project, mutant.file)
            assert prepared.clean is not None
            return score(mutant, prepared.corpus.in_scope(mutant), prepared.clean.runs, runs)
        finally:
            shutil.rmtree(base, ignore_errors=True)


def contract_sections(project: Path) -> dict[str, int]:
    """Contract name -> the checklist section its violations belong to, as the audit decides."""
    from flake8_phase12.audit.contracts import contract_label, contract_rule, read_contracts_config
    from flake8_phase12.config import load_config

    try:
        contracts = read_contracts_config(project)
        config = load_config(project / "pyproject.toml") if (project / "pyproject.toml").is_file() else None
    except Exception:  # noqa: BLE001  # pylint: disable=broad-exception-caught
        return {}
    if contracts is None or config is None:
        return {}
    return {contract_label(options)[1]: contract_rule(options, config).section
            for options in contracts.contracts_options}


def select_corpora(names: list[str]) -> list[Corpus]:
    """The corpora named (a known corpus name, or a folder), or every known one."""
    everything = discover(DEFAULT_CORPORA)
    if not names:
        return everything
    known = {corpus.name: corpus for corpus in everything}
    chosen: list[Corpus] = []
    for name in names:
        if name in known:
            chosen.append(known[name])
        elif Path(name).is_dir():
            chosen.extend(discover([Path(name)]))
        else:
            raise SystemExit(f"mutation_score: unknown corpus {name}; known: {', '.join(known)}")
    return chosen


def run(corpora: list[Corpus], modes: tuple[str, ...], bench: Bench, jobs: int,
        only: set[str]) -> list[Prepared]:
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        prepared = list(pool.map(lambda pair: bench.prepare(*pair),
                                 [(corpus, mode) for corpus in corpora for mode in modes]))
        list(pool.map(bench.check_clean, prepared))
        tasks = [(item, mutant) for item in prepared for mutant in item.corpus.mutants
                 if not only or mutant.id in only]
        for (item, _), result in zip(tasks, pool.map(lambda task: bench.check_mutant(*task), tasks)):
            item.results.append(result)
    elapsed = time.perf_counter() - started
    for item in prepared:
        item.seconds = elapsed
    return prepared


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", nargs="*", default=[], help="corpus names or folders (default: all)")
    parser.add_argument("--mode", choices=MODES, action="append", help="default: both")
    parser.add_argument("--tools", default="flake8,audit",
                        help=f"comma-separated, of {', '.join(TOOLS)} (default: flake8,audit)")
    parser.add_argument("--mutant", nargs="*", default=[], help="only these mutant ids")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--write-readme", action="store_true",
                        help="regenerate the README's Detection table from this run")
    parser.add_argument("--readme", type=Path, default=README, help=argparse.SUPPRESS)
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep the trees")
    args = parser.parse_args(argv)
    tools = tuple(tool.strip() for tool in args.tools.split(",") if tool.strip())
    if args.tools == "all":
        tools = TOOLS
    unknown = set(tools) - set(TOOLS)
    if unknown:
        parser.error(f"unknown tool {', '.join(sorted(unknown))}; choose from {', '.join(TOOLS)}")
    corpora = select_corpora(args.corpus)
    if args.write_readme:  # fail before the run, not after it
        render_readme(args.readme.read_text(encoding="utf-8"), [], tools, TARGET)
    modes = tuple(args.mode or MODES)
    workdir = Path(args.keep).resolve() if args.keep else Path(tempfile.mkdtemp(prefix="phase12-detection-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        results = run(corpora, modes, Bench(workdir, tools), max(1, args.jobs), set(args.mutant))
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    summary: dict[str, Any] = to_json(results, tools, TARGET)
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        print(render_text(results, tools, TARGET))
    if args.write_readme:
        text = args.readme.read_text(encoding="utf-8")
        args.readme.write_text(render_readme(text, results, tools, TARGET), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
