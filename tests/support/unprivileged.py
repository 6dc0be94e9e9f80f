"""Running `phase12`, `flake8` and `pytest` as a user without privileges, for the tests of
unreadable paths.

Root reads files without read permission, and the suite often runs as root (containers, CI), so a
test about an unreadable path must drop privileges or it proves nothing. The command cannot simply
be started as `nobody` (`preexec_fn` dropping privileges before `exec`): the interpreter (pyenv
under `/root`) and CI's virtual environment (under `mktemp -d`) live in directories only their
owner may enter. So `unprivileged_child.py` starts as the current user, imports what the command
needs by running it once on the same tree (read-only commands: an audit, a lint, a collection),
then drops to `nobody` for good (setgroups, setgid, setuid) and runs the command's own entry point
in-process, as its console script would. Run by a user other than root, it keeps that user, who
cannot read a mode-000 path either.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHILD = Path(__file__).with_name("unprivileged_child.py")
UNPRIVILEGED_USER = "nobody"
TIMEOUT = 600


def require_a_way_to_drop_privileges() -> None:
    if not hasattr(os, "setuid"):
        pytest.skip("dropping privileges needs setuid (POSIX); this platform has none")
    if os.geteuid() != 0:
        return  # no privileges to drop: this user cannot read a mode-000 path either
    import pwd

    try:
        pwd.getpwnam(UNPRIVILEGED_USER)
    except KeyError:
        pytest.skip(f"running as root and there is no user '{UNPRIVILEGED_USER}' to drop to, so "
                    "an unreadable path would be readable")


@contextmanager
def shared_directory() -> Iterator[Path]:
    """A temporary directory the unprivileged user may enter (pytest's `tmp_path` is 0700)."""
    directory = Path(tempfile.mkdtemp(prefix="phase12-unprivileged-"))
    directory.chmod(0o755)
    try:
        yield directory
    finally:
        for current, directories, _ in os.walk(directory):
            for name in directories:  # mode-000 directories must be entered to be removed
                os.chmod(os.path.join(current, name), 0o755, follow_symlinks=False)
        shutil.rmtree(directory, ignore_errors=True)


def make_unreadable(path: Path) -> None:
    path.chmod(0)


def readable_by_all(root: Path) -> None:
    """Files 0644 and directories 0755, so only what a test locks is unreadable."""
    for current, directories, files in os.walk(root):
        for name in directories:
            os.chmod(os.path.join(current, name), 0o755, follow_symlinks=False)
        for name in files:
            target = os.path.join(current, name)
            if not os.path.islink(target):
                os.chmod(target, stat.S_IMODE(os.stat(target).st_mode) | 0o644)


def run(tool: str, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    """`tool ARGS` (phase12, flake8 or pytest) run in `cwd` as the unprivileged user."""
    require_a_way_to_drop_privileges()
    return subprocess.run([sys.executable, str(CHILD), UNPRIVILEGED_USER, tool, *args], cwd=cwd,
                          capture_output=True, text=True, check=False, timeout=TIMEOUT,
                          stdin=subprocess.DEVNULL)


def phase12(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return run("phase12", *args, cwd=cwd)


def flake8(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return run("flake8", *args, cwd=cwd)


def pytest_run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return run("pytest", *args, cwd=cwd)
