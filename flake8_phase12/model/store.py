"""Module facts kept on disk, so an editor run re-reads only the file that changed.

One entry per source file, keyed by its absolute path and valid while the file keeps its size and
modification time (as mypy's cache is): an editor's flake8 run asks about a handful of other
modules, and reading their facts costs a fraction of parsing them. Entries hold plain data
(`marshal` of tuples of strings and numbers, checked on load), never code or trees, in the
configuration cache's directory (`config.cache`), read and written with its trust rules (a
directory of this user that nobody else may write, entries that are regular files of this user,
no links followed); `PHASE12_NO_CACHE=1` turns both off. Any failure only means parsing the
file again.
"""

from __future__ import annotations

import binascii
import marshal
import os
import sys

from flake8_phase12.config import cache
from flake8_phase12.model.facts import FORMAT, Module, decode, encode

SUBDIRECTORY = "model"


def _entry(folder: str, path: str) -> str:
    key = binascii.crc32(path.encode("utf-8", "surrogatepass"))
    return os.path.join(folder, f"{key:08x}-{sys.implementation.cache_tag}.marshal")


def _directory(*, create: bool = False) -> str | None:
    """The store's folder inside the configuration cache's, when both are trusted (real
    directories of this user that nobody else may write), as the configuration cache requires."""
    directory = cache.cache_directory()
    if directory is None or not cache.trusted_directory(directory, create=create):
        return None
    folder = os.path.join(directory, SUBDIRECTORY)
    return folder if cache.trusted_directory(folder, create=create) else None


def load(path: str, size: int, mtime_ns: int) -> Module | None:
    """The facts stored for `path` as it is now (same size and modification time), or None.
    An entry is read only if it is a small regular file of this user, never through a link."""
    folder = _directory()
    if folder is None:
        return None
    record = cache.read_entry(_entry(folder, path))
    if isinstance(record, tuple) and len(record) == 5 and record[:4] == (FORMAT, path, size, mtime_ns):
        try:
            return decode(record[4])
        except (ValueError, TypeError, IndexError):
            return None
    return None


def save(path: str, size: int, mtime_ns: int, module: Module) -> None:
    folder = _directory(create=True)
    if folder is None:
        return
    try:
        payload = marshal.dumps((FORMAT, path, size, mtime_ns, encode(module)))
    except ValueError:
        return
    cache.write_entry(folder, _entry(folder, path), payload)
