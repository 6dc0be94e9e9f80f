"""A disk cache of parsed configuration files, so most flake8 starts never load a TOML parser.

Editors start flake8 afresh for every pause in typing. Importing `tomllib` and parsing
`pyproject.toml` cost about 3 ms of a 150 ms run, the largest part of the plugin's start-up. So
the parsed `[tool.phase12]` table (with the few settings of other tools that name source roots,
which the project model reads: `config.loader.SOURCE_ROOT_SETTINGS`) is stored with `marshal`
(built in, nothing to import) beside a digest of the exact bytes it was parsed from, and reused
only while the file still holds those bytes: the cache can serve a configuration no newer or
older than the file itself. An entry holds the file's path, the digest and those tables, never a
copy of the file.

Where: `$PHASE12_CACHE_DIR`, else `$XDG_CACHE_HOME/flake8-phase12`, else
`~/.cache/flake8-phase12` (`%LOCALAPPDATA%\\flake8-phase12` on Windows). `PHASE12_NO_CACHE=1`
turns it off.

What it trusts, so that nobody else can change what a user sees through it: a directory that is
no link, belongs to the current user and that no one else may write (created 0700 when missing;
any other is not used, silently); entries that are regular files of that user, opened without
following links or blocking (a FIFO is refused, not waited on) and at most `MAX_ENTRY_BYTES`.
Entries are written to a `tempfile.mkstemp` file in the directory (created exclusively, never
through a link) and renamed into place; temporary files that a killed run left behind are
removed by the next write. Any failure (a read-only home, a corrupt or foreign entry, a table
`marshal` cannot store) only means parsing the file again.
"""

from __future__ import annotations

import binascii
import marshal
import os
import stat
import sys
import time
from typing import Any

try:
    # The C module that `hashlib.blake2b` is: importing it costs about 0.3 ms, where `hashlib`
    # first loads OpenSSL (about 15 ms), on every flake8 start.
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python without the builtin module
    from hashlib import blake2b

# Bump when the stored record changes shape.
FORMAT = 3
# A parsed [tool.phase12] table is a few kilobytes; anything larger is not ours.
MAX_ENTRY_BYTES = 1 << 20
TEMPORARY_PREFIX = ".entry-"
TEMPORARY_SUFFIX = ".tmp"
# A temporary file this old belongs to no running write: its run was killed.
STALE_TEMPORARY_SECONDS = 600.0


def cache_directory() -> str | None:
    if os.environ.get("PHASE12_NO_CACHE", "").strip() not in ("", "0"):
        return None
    explicit = os.environ.get("PHASE12_CACHE_DIR", "").strip()
    if explicit:
        return explicit
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        return os.path.join(os.environ["LOCALAPPDATA"], "flake8-phase12")
    base = os.environ.get("XDG_CACHE_HOME", "").strip() or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "flake8-phase12")


def entry_path(directory: str, file: str) -> str:
    """One entry per configuration file (and Python version: `marshal` may change between them)."""
    key = binascii.crc32(file.encode("utf-8", "surrogatepass"))
    return os.path.join(directory, f"{key:08x}-{sys.implementation.cache_tag}.marshal")


def digest(data: bytes) -> bytes:
    return blake2b(data, digest_size=20).digest()


def load(file: str, data: bytes) -> dict[str, Any] | None:
    """The document parsed from exactly `data` at `file`, if a trusted entry holds it."""
    directory = cache_directory()
    if directory is None or not trusted_directory(directory):
        return None
    record = read_entry(entry_path(directory, file))
    if (isinstance(record, tuple) and len(record) == 4 and record[0] == FORMAT
            and record[1] == file and record[2] == digest(data) and isinstance(record[3], dict)):
        return record[3]
    return None


def store(file: str, data: bytes, document: dict[str, Any]) -> None:
    """Remember `document` as parsed from `data`; silently nothing when that is not possible."""
    directory = cache_directory()
    if directory is None or not trusted_directory(directory, create=True):
        return
    try:
        payload = marshal.dumps((FORMAT, file, digest(data), document))
    except ValueError:  # dates and times: not storable, parse this file every time
        return
    if write_entry(directory, entry_path(directory, file), payload):
        remove_stale_temporaries(directory)


def write_entry(directory: str, target: str, payload: bytes) -> bool:
    """Write `payload` to `target` in the trusted `directory`, atomically, through a temporary
    file only this user can read; False (nothing written) when too large or not possible.
    The project model's store (`model.store`) writes its entries the same way."""
    if len(payload) > MAX_ENTRY_BYTES:
        return False
    import tempfile  # only when an entry is written, not on the start-up path

    try:
        handle, temporary = tempfile.mkstemp(prefix=TEMPORARY_PREFIX, suffix=TEMPORARY_SUFFIX,
                                             dir=directory)
    except OSError:
        return False
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
        # Atomic: parallel flake8 workers never read a half-written entry.
        os.replace(temporary, target)
    except OSError:
        _unlink(temporary)
        return False
    return True


def remove_stale_temporaries(directory: str, now: float | None = None) -> None:
    """Remove the temporary files of writes that never finished (their run was killed)."""
    cutoff = (time.time() if now is None else now) - STALE_TEMPORARY_SECONDS
    try:
        with os.scandir(directory) as entries:
            stale = [entry.path for entry in entries
                     if entry.name.startswith(TEMPORARY_PREFIX)
                     and entry.name.endswith(TEMPORARY_SUFFIX)
                     and entry.stat(follow_symlinks=False).st_mtime < cutoff]
    except OSError:
        return
    for path in stale:
        _unlink(path)


def trusted_directory(directory: str, *, create: bool = False) -> bool:
    """A real directory of this user that nobody else may write; created so when missing."""
    try:
        info = os.lstat(directory)
    except FileNotFoundError:
        if not create:
            return False
        try:
            os.makedirs(directory, mode=0o700)
            info = os.lstat(directory)
        except OSError:
            return False
    except OSError:
        return False
    return (stat.S_ISDIR(info.st_mode) and _owned(info)
            and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


def read_entry(path: str) -> object:
    """The unmarshalled entry at `path`, or None unless it is a small regular file of this user."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) \
        | getattr(os, "O_BINARY", 0)
    try:
        handle = os.open(path, flags)
    except OSError:
        return None
    try:
        info = os.fstat(handle)
        if not (stat.S_ISREG(info.st_mode) and _owned(info) and info.st_size <= MAX_ENTRY_BYTES):
            return None
        payload = os.read(handle, info.st_size + 1)
    except OSError:
        return None
    finally:
        os.close(handle)
    if len(payload) != info.st_size:  # changed while being read
        return None
    try:
        return marshal.loads(payload)
    except (EOFError, ValueError, TypeError, RecursionError):
        return None


def _owned(info: os.stat_result) -> bool:
    # Windows has no owner in `stat`: the per-user %LOCALAPPDATA% is what protects the cache there.
    return os.name == "nt" or info.st_uid == os.geteuid()


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
