"""Writing the user's files safely: all or nothing, atomically, keeping what is not changed.

Every file `phase12` writes (`init --write`, `baseline`, each `-o FILE`) goes through
`write_files`: each file is written to a temporary file beside it (`tempfile.mkstemp`: created
exclusively, never through a link), then renamed over it with `os.replace`, so a reader never sees
half a file and a failure leaves the file as it was. Across files it is all or nothing: if a
later file cannot be replaced, those already replaced get their old content back
(`pyproject.toml` and `setup.cfg` both or neither). A replaced file keeps its permissions, and a
link keeps pointing where it did (the file it points to is replaced). An edited file
(`preserve_line_endings`) keeps the bytes of every line the edit did not change, line endings
included, and its new lines end as most of its lines do (CRLF stays CRLF).

A problem is a `WriteError`: one line naming the file (a directory, no permission, ...).
"""

from __future__ import annotations

import difflib
import os
import re
import stat
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from flake8_phase12.config.loader import ConfigError

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


class WriteError(ConfigError):
    """A file cannot be written; `str()` is the one-line message naming it."""


@dataclass
class _Prepared:
    target: Path       # the file replaced (a link's target)
    shown: Path        # the path as the user gave it
    temporary: str
    previous: bytes | None  # its content before, None when it did not exist


def write_files(contents: Mapping[Path, str], *, preserve_line_endings: bool = False) -> None:
    """Write each text to its path (UTF-8), all or nothing; raise `WriteError`."""
    prepared: list[_Prepared] = []
    try:
        for path, text in contents.items():
            prepared.append(_prepare(path, text, preserve_line_endings))
        _replace_all(prepared)
    finally:
        for item in prepared:
            _unlink(item.temporary)


def write_file(path: Path, text: str, *, preserve_line_endings: bool = False) -> None:
    write_files({path: text}, preserve_line_endings=preserve_line_endings)


def keep_line_endings(original: str, updated: str) -> str:
    """`updated`, an edit of `original`, with each line `original` had kept byte for byte, its
    line ending included, and each new line ending as most of `original`'s lines do."""
    old = _LINE.findall(original)
    new = _LINE.findall(updated)
    newline = dominant_newline(original)
    bodies = difflib.SequenceMatcher(None, [line.rstrip("\r\n") for line in old],
                                     [line.rstrip("\r\n") for line in new], autojunk=False)
    kept: list[str] = []
    for tag, old_start, _, new_start, new_end in bodies.get_opcodes():
        for offset, line in enumerate(new[new_start:new_end]):
            body = line.rstrip("\r\n")
            ends = body != line
            before = old[old_start + offset] if tag == "equal" else ""
            # An unchanged line keeps its bytes, unless the edit gave it an ending it lacked (the
            # last line, now followed by more) or took it away.
            kept.append(before if before and (before != body) == ends
                        else body + (newline if ends else ""))
    return "".join(kept)


def dominant_newline(text: str) -> str:
    crlf = text.count("\r\n")
    lf = text.count("\n") - crlf
    cr = text.count("\r") - crlf
    return max((crlf, "\r\n"), (lf, "\n"), (cr, "\r"), key=lambda pair: pair[0])[1] \
        if crlf or lf or cr else "\n"


def _prepare(path: Path, text: str, preserve_line_endings: bool) -> _Prepared:
    target = Path(os.path.realpath(path))
    if target.is_dir():
        raise WriteError(f"{path}: is a directory; give the path of a file")
    try:
        previous = target.read_bytes()
    except FileNotFoundError:
        previous = None
    except OSError as exc:
        raise WriteError(f"{path}: cannot write it ({exc.strerror or exc})") from None
    if preserve_line_endings and previous is not None:
        try:
            text = keep_line_endings(previous.decode("utf-8"), text)
        except UnicodeDecodeError:
            pass  # not text we read: written as given
    temporary = _temporary_with(target, path, text.encode("utf-8"))
    return _Prepared(target, path, temporary, previous)


def _temporary_with(target: Path, path: Path, data: bytes) -> str:
    """A temporary file beside `target` holding `data`, with `target`'s permissions."""
    try:
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                             suffix=".tmp")
    except OSError as exc:
        raise WriteError(f"{path}: cannot write it ({exc.strerror or exc})") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, _mode_for(target))
    except OSError as exc:
        _unlink(temporary)
        raise WriteError(f"{path}: cannot write it ({exc.strerror or exc})") from None
    return temporary


def _mode_for(target: Path) -> int:
    """The replaced file's permissions; for a new file, what `open` would give it."""
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _replace_all(prepared: list[_Prepared]) -> None:
    done: list[_Prepared] = []
    for item in prepared:
        try:
            os.replace(item.temporary, item.target)
        except OSError as exc:
            _restore(done)
            raise WriteError(f"{item.shown}: cannot write it ({exc.strerror or exc}); nothing "
                             f"was changed") from None
        done.append(item)


def _restore(done: list[_Prepared]) -> None:
    """Put back the files already replaced (best effort: the original error is what is said)."""
    for item in reversed(done):
        try:
            if item.previous is None:
                os.unlink(item.target)
            else:
                os.replace(_temporary_with(item.target, item.shown, item.previous), item.target)
        except (OSError, WriteError):
            continue


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
