"""Module facts kept on disk, so an editor run re-reads only the file that changed.

One entry per source file, keyed by its absolute path and valid while the file keeps its size and
modification time (as mypy's cache is): an editor's flake8 run asks about a handful of other
modules, and reading their facts costs a fraction of parsing them. Entries hold plain data
(`marshal` of tuples of strings and numbers, checked on load), never code or trees, in the
configuration cache's directory (`config.cache`); `PHASE12_NO_CACHE=1` turns both off. Any
failure only means parsing the file again.
"""

from __future__ import annotations

import binascii
import marshal
import os
import sys

from flake8_phase12.config import cache
from flake8_phase12.model.facts import FORMAT, Module, decode, encode

SUBDIRECTORY = "model"


def _entry(directory: str, path: str) -> str:
    key = binascii.crc32(path.encode("utf-8", "surrogatepass"))
    return os.path.join(directory, SUBDIRECTORY, f"{key:08x}-{sys.implementation.cache_tag}.marshal")


def load(path: str, size: int, mtime_ns: int) -> Module | None:
    """The facts stored for `path` as it is now (same size and modification time), or None."""
    directory = cache.cache_directory()
    if directory is None:
        return None
    try:
        with open(_entry(directory, path), "rb") as stream:
            record = marshal.load(stream)
        if isinstance(record, tuple) and len(record) == 5 and record[:4] == (FORMAT, path, size, mtime_ns):
            return decode(record[4])
    except (OSError, EOFError, ValueError, TypeError, IndexError):
        pass
    return None


def save(path: str, size: int, mtime_ns: int, module: Module) -> None:
    directory = cache.cache_directory()
    if directory is None:
        return
    target = _entry(directory, path)
    temporary = f"{target}.{os.getpid()}.tmp"
    try:
        payload = marshal.dumps((FORMAT, path, size, mtime_ns, encode(module)))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(temporary, "wb") as stream:
            stream.write(payload)
        os.replace(temporary, target)  # parallel flake8 workers never read half an entry
    except (OSError, ValueError):
        try:
            os.unlink(temporary)
        except OSError:
            pass
