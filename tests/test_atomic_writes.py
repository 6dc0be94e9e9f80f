"""`flake8_phase12.atomic`: every file phase12 writes is written all or nothing, atomically,
keeping its permissions, its link and the bytes (line endings included) of what is not changed."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from flake8_phase12 import atomic
from flake8_phase12.atomic import WriteError, keep_line_endings, write_file, write_files


@pytest.mark.parametrize("original, updated, expected", [
    # New lines end as the file's lines do: CRLF stays CRLF.
    ("[a]\r\nx = 1\r\n", "[a]\r\nx = 1\r\n\n[b]\ny = 2\n", "[a]\r\nx = 1\r\n\r\n[b]\r\ny = 2\r\n"),
    # Unchanged lines keep their bytes, a mixed file stays mixed.
    ("a\nb\r\nc\n", "a\nb\nX\nc\n", "a\nb\r\nX\nc\n"),
    # A last line without an ending gets one when lines follow it.
    ("a\r\nb", "a\r\nb\nc", "a\r\nb\r\nc"),
    ("", "x\ny\n", "x\ny\n"),
])
def test_an_edit_keeps_the_line_endings_and_the_unchanged_bytes(original, updated, expected):
    assert keep_line_endings(original, updated) == expected


def test_a_replaced_file_keeps_its_permissions_and_a_link_its_target(tmp_path):
    real = tmp_path / "real.json"
    real.write_text("old\r\n")
    real.chmod(0o640)
    link = tmp_path / "link.json"
    link.symlink_to(real)
    write_file(link, "old\nnew\n", preserve_line_endings=True)
    assert link.is_symlink() and real.read_bytes() == b"old\r\nnew\r\n"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert sorted(path.name for path in tmp_path.iterdir()) == ["link.json", "real.json"]


def test_a_new_file_gets_the_permissions_open_would_give_it(tmp_path):
    umask = os.umask(0o022)
    try:
        write_file(tmp_path / "new.txt", "x\n")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o644


def test_files_are_written_all_or_nothing(tmp_path, monkeypatch):
    first, second = tmp_path / "pyproject.toml", tmp_path / "setup.cfg"
    first.write_text("[tool.x]\n")
    second.write_text("[metadata]\n")
    real_replace = os.replace

    def failing_replace(source, destination):
        if Path(destination).name == "setup.cfg":
            raise PermissionError(13, "Permission denied")
        real_replace(source, destination)

    monkeypatch.setattr(atomic.os, "replace", failing_replace)
    with pytest.raises(WriteError) as raised:
        write_files({first: "[tool.x]\n[tool.phase12]\n", second: "[metadata]\n[importlinter]\n"})
    assert str(raised.value) == f"{second}: cannot write it (Permission denied); nothing was changed"
    monkeypatch.undo()
    assert first.read_text() == "[tool.x]\n" and second.read_text() == "[metadata]\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["pyproject.toml", "setup.cfg"]


def test_a_directory_is_no_file_to_write(tmp_path):
    with pytest.raises(WriteError, match=r": is a directory; give the path of a file$"):
        write_file(tmp_path, "x")
