"""A disk cache of parsed configuration files, so most flake8 starts never load a TOML parser.

Editors start flake8 afresh for every pause in typing. Importing `tomllib` and parsing
`pyproject.toml` cost about 3 ms of a 150 ms run, the largest part of the plugin's start-up. So
the parsed document is stored with `marshal` (built in, nothing to import) beside the exact bytes
it was parsed from, and reused only while the file still holds those bytes: the cache can serve
a configuration no newer or older than the file itself.

Where: `$PHASE12_CACHE_DIR`, else `$XDG_CACHE_HOME/flake8-phase12`, else
`~/.cache/flake8-phase12` (`%LOCALAPPDATA%\\flake8-phase12` on Windows). `PHASE12_NO_CACHE=1`
turns it off. Any failure (a read-only home, a corrupt or foreign entry, a document `marshal`
cannot store, such as one with TOML dates) only means parsing the file again.
"""

from __future__ import annotations

import binascii
import marshal
import os
import sys
from typing import Any

# Bump when the stored record changes shape.
FORMAT = 1


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


def load(file: str, data: bytes) -> dict[str, Any] | None:
    """The document parsed from exactly `data` at `file`, if the cache holds it."""
    directory = cache_directory()
    if directory is None:
        return None
    try:
        with open(entry_path(directory, file), "rb") as stream:
            record = marshal.load(stream)
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if (isinstance(record, tuple) and len(record) == 4 and record[0] == FORMAT
            and record[1] == file and record[2] == data and isinstance(record[3], dict)):
        return record[3]
    return None


def store(file: str, data: bytes, document: dict[str, Any]) -> None:
    """Remember `document` as parsed from `data`; silently nothing when that is not possible."""
    directory = cache_directory()
    if directory is None:
        return
    try:
        payload = marshal.dumps((FORMAT, file, data, document))
    except ValueError:  # dates and times: not storable, parse this file every time
        return
    target = entry_path(directory, file)
    temporary = f"{target}.{os.getpid()}.tmp"
    try:
        os.makedirs(directory, exist_ok=True)
        with open(temporary, "wb") as stream:
            stream.write(payload)
        # Atomic: parallel flake8 workers never read a half-written entry.
        os.replace(temporary, target)
    except OSError:
        try:
            os.unlink(temporary)
        except OSError:
            pass
