"""Code nobody here wrote: the standard library and every installed package, linted with a
configuration that excludes nothing. The plugins never crash and never report GOV000.

What CI runs (well inside its time budget on 2 cores), and what `PHASE12_FULL_CORPUS=1` adds:

- the flake8 plugin in-process over the whole corpus (the same calls flake8 makes per file);
- every check forced to run on real files, each file checked as the runner, each service, the
  route, the registry and the envelope module: a spread of 60 files (all with the env var);
- real `flake8 -j 2` over 300 files (all with the env var);
- real `pylint --load-plugins=flake8_phase12.pylint` over 100 files (1000 with the env var).

`python benchmarks/corpus_reliability.py` prints the same runs with times and findings by code.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import warnings
from collections import Counter
from pathlib import Path

import pytest
from phase12_corpus import FULL, NOTHING_EXCLUDED, corpus_files, read_source, sample

from flake8_phase12.config import clear_caches, config_from_mapping
from flake8_phase12.lint_file import check_file
from flake8_phase12.flake8 import Phase12Checker
from flake8_phase12.pylint.messages import messages

pytestmark = pytest.mark.slow

ROLES = (
    "server/app/services/tool_runner.py",
    "server/app/services/plugin_management_service.py",
    "server/app/services/job_management_service.py",
    "server/app/services/analysis_service.py",
    "server/app/api/analyze.py",
    "server/app/plugin_registry.py",
    "server/app/error_envelope.py",
)
FORCED_ROLE_FILES = 60
FLAKE8_FILES = 300
PYLINT_FILES = 1000 if FULL else 100


@pytest.fixture(scope="module")
def nothing_excluded(tmp_path_factory) -> Path:
    config = tmp_path_factory.mktemp("corpus-config") / "phase12.toml"
    config.write_text(NOTHING_EXCLUDED, encoding="utf-8")
    return config


def parsed(path: Path) -> tuple[str, ast.Module] | None:
    source = read_source(path)
    if source is None:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escapes in old code are not our concern
            return source, ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None  # flake8 reports E999 itself and never calls AST plugins on such files


def test_the_corpus_is_thousands_of_files():
    assert len(corpus_files()) > 2000


def test_flake8_plugin_in_process_over_the_whole_corpus(nothing_excluded, monkeypatch):
    monkeypatch.setattr(Phase12Checker, "config_file", str(nothing_excluded))
    clear_caches()
    crashes, internal_errors, linted = [], [], 0
    for path in corpus_files():
        result = parsed(path)
        if result is None:
            continue
        source, tree = result
        linted += 1
        try:
            for line, _, text, _ in Phase12Checker(tree, str(path), source.splitlines(True)).run():
                if text.startswith("GOV000"):
                    internal_errors.append(f"{path}:{line}: {text}")
        except Exception as exc:  # noqa: BLE001 - collected, so one run shows every crash
            crashes.append(f"{path}: {type(exc).__name__}: {exc}")
    clear_caches()
    assert linted > 2000
    assert crashes == []
    assert internal_errors == []


def test_every_check_runs_on_real_files_in_every_role_without_internal_errors():
    files = corpus_files() if FULL else sample(corpus_files(), FORCED_ROLE_FILES)
    config = config_from_mapping({"exclude": []}, project_root=Path("/phase12-corpus"))
    internal_errors, codes = [], Counter()
    for path in files:
        result = parsed(path)
        if result is None:
            continue
        source, tree = result
        for role in ROLES:
            for finding in check_file(tree, f"/phase12-corpus/{role}", config, source):
                codes[finding.code] += 1
                if finding.code == "GOV000":
                    internal_errors.append(f"{path} as {role}: {finding.message}")
    assert internal_errors == []
    # The checks really ran: real files in the runner's or registry's place miss things.
    assert codes and set(codes) != {"GOV000"}


def test_real_flake8_with_two_jobs_over_a_corpus_sample(nothing_excluded, tmp_path):
    files = corpus_files() if FULL else sample(corpus_files(), FLAKE8_FILES)
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--select=GOV", "--jobs=2",
         f"--phase12-config={nothing_excluded}", *map(str, files)],
        cwd=tmp_path, capture_output=True, text=True, check=False, timeout=1800)
    assert result.returncode in (0, 1), result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    assert "failed during execution" not in result.stderr + result.stdout
    reported = [line for line in result.stdout.splitlines() if line.strip()]
    assert [line for line in reported if " GOV000 " in line] == []
    assert all(" GOV" in line for line in reported), reported[:5]


def test_real_pylint_with_the_plugin_over_a_corpus_sample(nothing_excluded, tmp_path):
    files = sample(corpus_files(), PYLINT_FILES)
    symbols = [message.symbol for message in messages()]
    result = subprocess.run(
        [sys.executable, "-m", "pylint", "--load-plugins=flake8_phase12.pylint",
         "--disable=all", f"--enable={','.join(symbols)},astroid-error,fatal",
         f"--phase12-config={nothing_excluded}", "--persistent=n", "--score=n",
         "--output-format=json2", "--jobs=2", *map(str, files)],
        cwd=tmp_path, capture_output=True, text=True, check=False, timeout=1800)
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    found = json.loads(result.stdout)["messages"]
    failures = [f"{item['path']}:{item['line']}: {item['symbol']}: {item['message'][:200]}"
                for item in found
                if item["symbol"] in ("phase12-internal-error", "phase12-config-error",
                                      "astroid-error", "fatal")]
    assert failures == []
