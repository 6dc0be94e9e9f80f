"""The pre-commit hooks of `.pre-commit-hooks.yaml`, run by real pre-commit as users run them.

A hook repository is made from this checkout's package files (committed into a temporary git
repository, so the test never touches this repository's git state and sees uncommitted work).
A user repository holding the compliant example codebase lists both hooks in its
`.pre-commit-config.yaml`; pre-commit builds the hook environment itself (a virtualenv with
this package pip-installed from the hook repository: package registries only), then runs.
The compliant code passes; a direct plugin execution added to it fails both hooks, with the
GOV101 finding at its file and line. pre-commit's cache lives in the test's directory.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]
EXAMPLES = REPOSITORY / "examples"
HOOK_REPO_FILES = ("pyproject.toml", "setup.cfg", "README.md", ".pre-commit-hooks.yaml",
                   "flake8_phase12", "import_contracts")
SERVICE = "server/app/services/plugin_management_service.py"
SHORTCUT = '''

def probe_plugin(plugin):
    """A health probe that bypasses the runner."""
    return plugin.run({})
'''

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("git") is None, reason="pre-commit needs git"),
    pytest.mark.skipif(not (EXAMPLES / "compliant" / SERVICE).is_file()
                       or not (EXAMPLES / "phase11").is_dir(),
                       reason="the example codebases are not there"),
]


def git(cwd: Path, *args: str) -> str:
    environment = {**os.environ, "GIT_AUTHOR_NAME": "phase12 test", "GIT_AUTHOR_EMAIL": "t@example.invalid",
                   "GIT_COMMITTER_NAME": "phase12 test", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    result = subprocess.run(["git", *args], cwd=cwd, env=environment, capture_output=True,
                            text=True, check=True)
    return result.stdout.strip()


def hook_repository(target: Path) -> tuple[Path, str]:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    target.mkdir()
    for name in HOOK_REPO_FILES:
        source = REPOSITORY / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=ignore)
        else:
            shutil.copy2(source, target / name)
    git(target, "init", "--quiet")
    git(target, "add", "--all")
    git(target, "commit", "--quiet", "--no-verify", "--message", "hooks under test")
    return target, git(target, "rev-parse", "HEAD")


def user_repository(target: Path, hooks: Path, rev: str) -> Path:
    # The Phase 11 tree sits beside the project, where its `compat.against` expects it.
    shutil.copytree(EXAMPLES / "phase11", target.parent / "phase11")
    shutil.copytree(EXAMPLES / "compliant", target,
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache"))
    (target / ".pre-commit-config.yaml").write_text(
        f"repos:\n"
        f"  - repo: {hooks}\n"
        f"    rev: {rev}\n"
        f"    hooks:\n"
        f"      - id: phase12-flake8\n"
        f"      - id: phase12-audit\n", encoding="utf-8")
    git(target, "init", "--quiet")
    git(target, "add", "--all")
    return target


def pre_commit(repository: Path, cache: Path) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PRE_COMMIT_HOME": str(cache), "PRE_COMMIT_COLOR": "never"}
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files", "--show-diff-on-failure"],
        cwd=repository, env=environment, capture_output=True, text=True, check=False,
        timeout=900)


def test_pre_commit_runs_both_hooks_on_a_real_repository(tmp_path):
    hooks, rev = hook_repository(tmp_path / "hooks")
    project = user_repository(tmp_path / "work" / "project", hooks, rev)
    cache = tmp_path / "pre-commit-cache"

    clean = pre_commit(project, cache)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "phase12 checklist (flake8 GOV rules)" in clean.stdout
    assert "phase12 checklist audit" in clean.stdout

    service = project / SERVICE
    line = len(service.read_text(encoding="utf-8").splitlines()) + len(SHORTCUT.splitlines())
    with service.open("a", encoding="utf-8") as handle:
        handle.write(SHORTCUT)
    git(project, "add", "--all")

    broken = pre_commit(project, cache)
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert f"{SERVICE}:{line}:12: GOV101 `plugin.run(...)` executes a plugin outside the runner" \
        in broken.stdout
    assert "Traceback" not in broken.stdout + broken.stderr
    flake8_hook, audit_hook = (
        next(text for text in broken.stdout.splitlines() if text.startswith(name))
        for name in ("phase12 checklist (flake8 GOV rules)", "phase12 checklist audit"))
    assert flake8_hook.endswith("Failed") and audit_hook.endswith("Failed")
