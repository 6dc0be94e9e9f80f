"""Where the Phase 11 surface comes from: `--against` names a directory, a snapshot or a git ref.

The order of the tests matters and is documented in `phase12 compat --help`: an existing file
or anything ending in `.json` is a snapshot, an existing directory is a tree, and anything else
is a git ref of the repository that holds the project. Relative paths are taken relative to the
project root (the CLI first makes paths that exist relative to the working directory absolute).
A git ref is read with `git archive` into a temporary directory, limited to the project's own
subdirectory, and never checked out: the working tree and the index are not touched.
"""

from __future__ import annotations

import os
import subprocess
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from flake8_phase12.compat.extract import load_surface
from flake8_phase12.compat.model import Surface
from flake8_phase12.compat.snapshot import read_snapshot
from flake8_phase12.config import ConfigError
from flake8_phase12.config.model import Config

NO_SOURCE = ("no Phase 11 source given: pass --against REF (a git ref, a directory or a snapshot .json "
             "file) or set `against` in [tool.phase12.compat]")


def load_against(against: str, project_root: Path, config: Config) -> Surface:
    """The Phase 11 surface named by `against`; a `ConfigError` if it cannot be read."""
    text = against.strip()
    if not text:
        raise ConfigError(NO_SOURCE)
    candidate = Path(text).expanduser()
    if not candidate.is_absolute():
        candidate = project_root / candidate
    if candidate.is_file() or text.endswith(".json"):
        return read_snapshot(candidate)
    if candidate.is_dir():
        return load_surface(candidate, config, origin=f"directory {text}", strict=False)
    return load_git_ref(text, project_root, config)


def load_git_ref(ref: str, project_root: Path, config: Config) -> Surface:
    if ref.startswith("-"):
        raise ConfigError(f"{ref!r} is not a directory, a snapshot file or a git ref")
    toplevel = _git(["rev-parse", "--show-toplevel"], project_root)
    if toplevel.returncode != 0:
        raise ConfigError(f"{ref!r} is not a directory or a snapshot file, and {project_root} is not "
                          "inside a git repository, so it cannot be a git ref either")
    git_root = Path(toplevel.stdout.strip()).resolve()
    commit = _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], git_root)
    if commit.returncode != 0:
        raise ConfigError(f"{ref!r} is not a directory, a snapshot file or a git ref known in {git_root}")
    relative = PurePosixPath(project_root.resolve().relative_to(git_root).as_posix())
    with tempfile.TemporaryDirectory(prefix="phase12-compat-") as temporary:
        destination = Path(temporary)
        _extract(commit.stdout.strip(), relative, git_root, destination, ref)
        old_root = destination / relative
        if not old_root.is_dir():
            raise ConfigError(f"{relative} did not exist at git ref {ref!r}: nothing to compare against")
        return load_surface(old_root, config, origin=f"git ref {ref}", strict=False, cache=False)


def _extract(commit: str, relative: PurePosixPath, git_root: Path, destination: Path, ref: str) -> None:
    pathspec = [] if str(relative) == "." else ["--", str(relative)]
    command = ["git", "archive", "--format=tar", commit, *pathspec]
    try:
        # Used as a context manager below, once the pipes are checked.
        process = subprocess.Popen(  # pylint: disable=consider-using-with
            command, cwd=git_root, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=_git_environment())
    except FileNotFoundError:
        raise ConfigError("git is not installed, so a git ref cannot be read; pass a directory or a snapshot "
                          "file to --against") from None
    assert process.stdout is not None and process.stderr is not None
    with process:  # closes both pipes (and waits) however the reading ends
        try:
            with tarfile.open(fileobj=process.stdout, mode="r|") as archive:
                _safe_extract(archive, destination)
        except tarfile.TarError as exc:
            process.kill()
            process.wait()
            message = process.stderr.read().decode(errors="replace").strip().splitlines()
            reason = message[-1] if message else str(exc)
            if "did not match any files" in reason:
                raise ConfigError(
                    f"{relative} did not exist at git ref {ref!r}: nothing to compare against") from None
            raise ConfigError(f"cannot read git ref {ref!r}: {reason}") from None
        error = process.stderr.read().decode(errors="replace").strip()
        if process.wait() != 0:
            reason = error.splitlines()[-1] if error else f"git archive exited with {process.returncode}"
            raise ConfigError(f"cannot read git ref {ref!r}: {reason}")


def _safe_extract(archive: tarfile.TarFile, destination: Path) -> None:
    # git archive output is trusted, but the data filter (Python 3.12, backported to 3.10.12 and
    # 3.11.4) costs nothing and refuses links and paths outside the destination.
    if hasattr(tarfile, "data_filter"):
        archive.extractall(destination, filter="data")
    else:  # pragma: no cover - old patch releases only
        for member in archive:
            if member.isfile() or member.isdir():
                target = (destination / member.name).resolve()
                if destination.resolve() in target.parents or target == destination.resolve():
                    archive.extract(member, destination)


def _git(arguments: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(["git", *arguments], cwd=cwd, capture_output=True, text=True,
                              env=_git_environment(), check=False)
    except FileNotFoundError:
        raise ConfigError("git is not installed, so a git ref cannot be read; pass a directory or a snapshot "
                          "file to --against") from None
    except NotADirectoryError:
        raise ConfigError(f"{cwd} is not a directory") from None


def _git_environment() -> dict[str, str]:
    environment = dict(os.environ)
    environment["GIT_TERMINAL_PROMPT"] = "0"  # never wait for credentials in CI
    environment.setdefault("LC_ALL", "C")  # stable English messages for our one-line errors
    return environment
