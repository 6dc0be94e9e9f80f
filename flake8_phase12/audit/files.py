"""The file rules over a codebase: discovery, reading, parsing and the shared engine.

Every `.py` file under the audited path is checked unless the configuration excludes it (the same
gitignore-like patterns the flake8 plugin honours) or it sits in a directory no project checks in
(hidden directories, `__pycache__`, `node_modules`, `*.egg-info`, `site-packages`). A file that
cannot be decoded or parsed becomes one GOV001 finding naming the file. What cannot be read at
all (a directory or file without permission, a path that vanished, a link to nothing) is an error
naming the path: the audit cannot vouch for code it never saw, so the verdict is "not verified".

With `jobs > 1` the files are spread over a process pool; each worker returns plain records and
the caller sorts them, so the result does not depend on the number of workers.
"""

from __future__ import annotations

import ast
import errno
import io
import os
import tokenize
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from flake8_phase12.analysis.context import dotted_path, path_excluded, source_lines, universal_newlines
from flake8_phase12.audit.model import AuditFinding
from flake8_phase12.audit.rules import UNREADABLE_FILE
from flake8_phase12.baseline import flagged_text
from flake8_phase12.config.model import Config
from flake8_phase12.lint_file import check_file

SKIPPED_DIRECTORIES = frozenset({"__pycache__", "node_modules", "site-packages"})
# Below this many files a process pool costs more to start than it saves.
POOL_THRESHOLD = 64

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Discovery:
    """The files the audit checks, and the paths it could not look into (one line each)."""
    files: list[SourceFile]
    unreadable: list[str]


@dataclass(frozen=True)
class FileCheck:
    """One file's findings, or why it could not be read ('' when it was)."""
    findings: list[AuditFinding]
    unreadable: str = ""


@dataclass(frozen=True)
class SourceFile:
    """A Python file of the audited codebase, with its path relative to the project root."""
    path: Path          # absolute
    relative: str       # posix, relative to the project root (or to the audited directory)

    @property
    def module(self) -> str:
        return dotted_path(Path(self.relative))


def discover(target: Path, project_root: Path, config: Config) -> Discovery:
    """Every file the audit checks under `target`, sorted by relative path, and what could not be
    looked into there."""
    target = target.resolve()
    base = base_directory(target, project_root)
    excludes = config.all_excludes
    cannot_read: list[str] = []
    if target.is_file():
        candidates: Iterator[Path] = iter([target])
    else:
        candidates = _walk(target, base, excludes, cannot_read)
    found = []
    for path in candidates:
        relative = path.relative_to(base).as_posix()
        if not path_excluded(Path(relative), excludes):
            found.append(SourceFile(path, relative))
    return Discovery(sorted(found, key=lambda source: source.relative), cannot_read)


def base_directory(target: Path, project_root: Path) -> Path:
    """What the paths of findings in files are relative to: the project root, or the audited
    directory when it lies outside the project root."""
    target = target.resolve()
    root = project_root.resolve()
    return root if _is_below(target, root) else (target if target.is_dir() else target.parent)


def _walk(directory: Path, base: Path, excludes: tuple[str, ...],
          cannot_read: list[str]) -> Iterator[Path]:
    def cannot_list(exc: OSError) -> None:
        # `os.walk` leaves out a directory it cannot list; the audit must not.
        cannot_read.append(unreadable_directory(Path(exc.filename or directory), exc))

    for current, directories, files in os.walk(directory, onerror=cannot_list):
        here = Path(current)
        directories[:] = sorted(
            name for name in directories
            if not _skipped_directory(name)
            and not path_excluded((here / name).relative_to(base), excludes))
        in_package = "__init__.py" in files
        for name in sorted(files):
            path = here / name
            # A dangling link: a module, or in a package a subpackage, that cannot be looked at.
            may_hold_code = name.endswith(".py") or (in_package and name.isidentifier())
            if may_hold_code and path.is_symlink() and not path.exists():
                if not path_excluded(path.relative_to(base), excludes):
                    cannot_read.append(_dangling(path))
            elif name.endswith(".py"):
                yield path


# Paths in these errors are absolute, like those of every other error: they read the same in a
# terminal, a CI log and the JSON report.

def unreadable_directory(directory: Path, exc: OSError) -> str:
    return f"{directory}: cannot read this directory ({exc.strerror or exc}); nothing in it was " \
           f"checked"


def _dangling(link: Path) -> str:
    """The link itself is named: its target is what is missing, not what was to be checked."""
    try:
        os.stat(link)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return f"{link}: a link that never reaches a file (a loop of links)"
    return f"{link}: a link to {os.readlink(link)}, which does not exist"


def _skipped_directory(name: str) -> bool:
    return name.startswith(".") or name in SKIPPED_DIRECTORIES or name.endswith(".egg-info")


def _is_below(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def worker_count(jobs: int, total: int) -> int:
    """Processes to use: `jobs` as asked (0: one per CPU for large codebases, else none)."""
    if jobs == 0:
        return (os.cpu_count() or 1) if total >= POOL_THRESHOLD else 1
    return jobs if total >= 2 * jobs else 1


def check_files(files: list[SourceFile], config: Config, *, jobs: int = 0,
                progress: Progress | None = None) -> tuple[list[AuditFinding], list[str]]:
    """The findings of every file rule in `files`, sorted by path and position, and the files
    that could not be read."""
    checks: list[FileCheck] = []
    total = len(files)
    jobs = worker_count(jobs, total)
    if jobs > 1:
        with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker,
                                 initargs=(config,)) as pool:
            chunk = max(1, min(32, total // (jobs * 4) or 1))
            results = pool.map(_check_in_worker, files, chunksize=chunk)
            for done, check in enumerate(results, start=1):
                checks.append(check)
                if progress:
                    progress(done, total)
    else:
        for done, source in enumerate(files, start=1):
            checks.append(check_source(source, config))
            if progress:
                progress(done, total)
    findings = sorted((finding for check in checks for finding in check.findings),
                      key=AuditFinding.sort_key)
    return findings, [check.unreadable for check in checks if check.unreadable]


_WORKER_CONFIG: Config | None = None


def _init_worker(config: Config) -> None:
    # A process pool's initializer: the one way to hand each worker its configuration once.
    global _WORKER_CONFIG  # pylint: disable=global-statement
    _WORKER_CONFIG = config


def _check_in_worker(source: SourceFile) -> FileCheck:
    assert _WORKER_CONFIG is not None, "the pool initializer sets the configuration"
    return check_source(source, _WORKER_CONFIG)


def check_source(source: SourceFile, config: Config) -> FileCheck:
    """The findings of one file: an undecodable or unparsable file is one GOV001 finding, one
    that cannot be read at all is no finding but the reason."""
    try:
        text = read_source(source.path)
    except OSError as exc:
        return FileCheck([], f"{source.path}: cannot read it ({exc.strerror or exc})")
    except (UnicodeDecodeError, SyntaxError, LookupError) as exc:
        return FileCheck([unreadable(source, _read_error(exc))])
    try:
        tree = ast.parse(text, filename=str(source.path))
    except SyntaxError as exc:
        return FileCheck([unreadable(source, f"{exc.msg} (line {exc.lineno})", line=exc.lineno or 1)])
    except (ValueError, RecursionError, MemoryError) as exc:
        return FileCheck([unreadable(source, f"{type(exc).__name__}: {exc}")])
    lines = source_lines(text)
    return FileCheck([
        AuditFinding(code=finding.code, message=finding.message, path=source.relative,
                     line=finding.line, col=finding.col, end_line=finding.end_line,
                     end_col=finding.end_col, anchor=finding.anchor,
                     text=flagged_text(lines, finding.line, finding.end_line),
                     module=source.module)
        for finding in check_file(tree, str(source.path), config, text)
    ])


def parse_problem(path: Path) -> str:
    """Why Python cannot read or parse the file at `path` ('' when it can), as GOV001 says it."""
    try:
        text = read_source(path)
    except OSError as exc:
        return f"cannot read it ({exc.strerror or exc})"
    except (UnicodeDecodeError, SyntaxError, LookupError) as exc:
        return _read_error(exc)
    try:
        ast.parse(text, filename=str(path))
    except SyntaxError as exc:
        return f"{exc.msg} (line {exc.lineno})"
    except (ValueError, RecursionError, MemoryError) as exc:
        return f"{type(exc).__name__}: {exc}"
    return ""


def read_source(path: Path) -> str:
    """The file's text, decoded as Python decodes it (coding cookie or BOM, else UTF-8), with
    universal newlines as flake8 and pylint read it."""
    data = path.read_bytes()
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    text = universal_newlines(data.decode(encoding))
    return text[1:] if text.startswith("\ufeff") else text


def _read_error(exc: BaseException) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return f"not valid {exc.encoding} text (byte {exc.start})"
    if isinstance(exc, SyntaxError) and "encoding declaration" in str(exc.msg):
        return "not valid utf-8 text, and no `# -*- coding: ... -*-` declaration"
    if isinstance(exc, (SyntaxError, LookupError)):
        return f"cannot decode it ({exc.msg if isinstance(exc, SyntaxError) else exc})"
    return f"{type(exc).__name__}: {exc}"


def unreadable(source: SourceFile, reason: str, line: int = 1) -> AuditFinding:
    return AuditFinding(code=UNREADABLE_FILE.code,
                        message=UNREADABLE_FILE.format_message(reason=reason),
                        path=source.relative, line=line, col=0, anchor="<module>",
                        text=UNREADABLE_FILE.code, module=source.module)
