"""The disk cache of parsed configuration files (`flake8_phase12.config.cache`): it spares
flake8 the TOML parser when `pyproject.toml` has not changed, and never serves anything else."""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flake8_phase12.config import ConfigError, clear_caches, load_config
from flake8_phase12.config import cache


@pytest.fixture(autouse=True)
def cache_directory(tmp_path, monkeypatch):
    directory = tmp_path / "cache"
    monkeypatch.setenv("PHASE12_CACHE_DIR", str(directory))
    monkeypatch.delenv("PHASE12_NO_CACHE", raising=False)
    clear_caches()
    yield directory
    clear_caches()


def project(tmp_path: Path, table: str) -> Path:
    root = tmp_path / "project"
    root.mkdir(exist_ok=True)
    (root / "pyproject.toml").write_text(f"[tool.phase12]\n{table}\n", encoding="utf-8")
    return root


def load(root: Path):
    clear_caches()  # a new flake8 process: only the disk cache survives
    return load_config(start=root / "module.py")


def test_the_second_start_reads_the_cache_without_a_toml_parser(tmp_path, cache_directory):
    root = project(tmp_path, "execution_methods = ['go']")
    assert load(root).execution_methods == ("go",)
    assert len(list(cache_directory.iterdir())) == 1
    script = ("import sys; from flake8_phase12.config import load_config; "
              f"config = load_config(start={str(root / 'module.py')!r}); "
              "print(config.execution_methods, 'tomllib' in sys.modules)")
    output = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True, env={**os.environ}).stdout
    assert output.strip() == "('go',) False"


def test_a_changed_file_is_parsed_again_even_with_the_same_size_and_time(tmp_path):
    root = project(tmp_path, "execution_methods = ['go']")
    pyproject = root / "pyproject.toml"
    stat = pyproject.stat()
    assert load(root).execution_methods == ("go",)
    pyproject.write_text("[tool.phase12]\nexecution_methods = ['do']\n", encoding="utf-8")
    os.utime(pyproject, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert load(root).execution_methods == ("do",)


@pytest.mark.parametrize("garbage", [b"", b"not marshal data", b"\xe3\x00\x00"])
def test_a_corrupt_entry_is_ignored(tmp_path, cache_directory, garbage):
    root = project(tmp_path, "execution_methods = ['go']")
    load(root)
    (entry,) = cache_directory.iterdir()
    entry.write_bytes(garbage)
    assert load(root).execution_methods == ("go",)


def test_an_entry_of_another_file_is_ignored(tmp_path, cache_directory):
    root = project(tmp_path, "execution_methods = ['go']")
    pyproject = str(root / "pyproject.toml")
    data = (root / "pyproject.toml").read_bytes()
    cache.store("/elsewhere/pyproject.toml", data, {"tool": {"phase12": {"execution_methods": ["x"]}}})
    os.replace(cache.entry_path(str(cache_directory), "/elsewhere/pyproject.toml"),
               cache.entry_path(str(cache_directory), pyproject))
    assert load(root).execution_methods == ("go",)


def test_an_unwritable_cache_directory_only_means_no_cache(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("PHASE12_CACHE_DIR", str(blocker / "cache"))
    root = project(tmp_path, "execution_methods = ['go']")
    assert load(root).execution_methods == ("go",)
    assert load(root).execution_methods == ("go",)


def test_the_cache_can_be_turned_off(tmp_path, cache_directory, monkeypatch):
    monkeypatch.setenv("PHASE12_NO_CACHE", "1")
    root = project(tmp_path, "execution_methods = ['go']")
    assert load(root).execution_methods == ("go",)
    assert not cache_directory.exists()


def test_an_entry_holds_a_digest_and_the_table_not_a_copy_of_the_file(tmp_path, cache_directory):
    root = project(tmp_path, "execution_methods = ['go']\n[project]\nreleased = 2026-11-24\n"
                             "description = 'a-secret-of-the-project'")
    assert load(root).execution_methods == ("go",)
    (entry,) = cache_directory.iterdir()
    stored = entry.read_bytes()
    assert b"a-secret-of-the-project" not in stored and b"released" not in stored
    assert b"execution_methods" in stored
    # The date outside [tool.phase12] does not keep the table from being cached.
    script = ("import sys; from flake8_phase12.config import load_config; "
              f"load_config(start={str(root / 'module.py')!r}); print('tomllib' in sys.modules)")
    output = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True).stdout
    assert output.strip() == "False"


def test_errors_are_never_cached(tmp_path):
    root = project(tmp_path, "execution_methods = [")
    for _ in range(2):
        with pytest.raises(ConfigError, match="invalid TOML"):
            load(root)
    (root / "pyproject.toml").write_text("[tool.phase12]\nexecution_methods = 3\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(ConfigError, match="must be a list of strings"):
            load(root)


# -- what the cache trusts -------------------------------------------------------------------

def planted(root: Path, directory: Path, table: str) -> Path:
    """An entry for `root`'s pyproject.toml, as valid as the cache's own, saying `table`."""
    pyproject = root / "pyproject.toml"
    document = {"tool": {"phase12": {"execution_methods": [table]}}}
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    entry = Path(cache.entry_path(str(directory), str(pyproject)))
    entry.write_bytes(marshal.dumps((cache.FORMAT, str(pyproject),
                                     cache.digest(pyproject.read_bytes()), document)))
    return entry


def test_a_planted_entry_is_used_only_as_the_cache_would_have_written_it(tmp_path, cache_directory):
    """The control for the tests below: a well-formed entry in a private directory is read."""
    root = project(tmp_path, "execution_methods = ['go']")
    planted(root, cache_directory, "planted")
    assert load(root).execution_methods == ("planted",)


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o722])
def test_a_directory_others_may_write_is_not_used(tmp_path, cache_directory, mode):
    root = project(tmp_path, "execution_methods = ['go']")
    entry = planted(root, cache_directory, "planted")
    content = entry.read_bytes()
    cache_directory.chmod(mode)
    assert load(root).execution_methods == ("go",)
    # Nor written to: the parsed table was not stored there.
    assert list(cache_directory.iterdir()) == [entry] and entry.read_bytes() == content


def test_a_directory_or_entry_of_another_user_is_not_used(tmp_path, cache_directory, monkeypatch):
    root = project(tmp_path, "execution_methods = ['go']")
    planted(root, cache_directory, "planted")
    someone_else = os.geteuid() + 1
    monkeypatch.setattr(cache.os, "geteuid", lambda: someone_else)
    assert load(root).execution_methods == ("go",)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="only root can give a file to another user")
def test_an_entry_owned_by_another_user_is_not_used(tmp_path, cache_directory):
    root = project(tmp_path, "execution_methods = ['go']")
    entry = planted(root, cache_directory, "planted")
    os.chown(entry, 65534, 65534)
    assert load(root).execution_methods == ("go",)


def test_a_linked_directory_or_entry_is_not_followed(tmp_path, cache_directory, monkeypatch):
    root = project(tmp_path, "execution_methods = ['go']")
    real = tmp_path / "real-cache"
    entry = planted(root, real, "planted")
    cache_directory.symlink_to(real, target_is_directory=True)
    assert load(root).execution_methods == ("go",)
    private = tmp_path / "private-cache"
    private.mkdir(mode=0o700)
    monkeypatch.setenv("PHASE12_CACHE_DIR", str(private))
    (private / entry.name).symlink_to(entry)
    assert load(root).execution_methods == ("go",)


def test_a_fifo_or_a_huge_entry_neither_hangs_nor_slows_a_run(tmp_path, cache_directory):
    root = project(tmp_path, "execution_methods = ['go']")
    entry = planted(root, cache_directory, "planted")
    entry.unlink()
    os.mkfifo(entry)
    script = ("from flake8_phase12.config import load_config; "
              f"print(load_config(start={str(root / 'module.py')!r}).execution_methods)")
    # Opening a FIFO for reading blocks until a writer comes: the timeout is the hang.
    output = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True, timeout=60).stdout
    assert output.strip() == "('go',)"
    entry.unlink()
    valid = planted(root, cache_directory, "planted").read_bytes()
    entry.write_bytes(valid + b"\0" * (cache.MAX_ENTRY_BYTES + 1))
    assert load(root).execution_methods == ("go",)


def test_temporary_files_are_exclusive_and_never_follow_a_link(tmp_path, cache_directory):
    """The entry was written through `<entry>.<pid>.tmp`: a link planted at that name made the
    write land in the link's target."""
    root = project(tmp_path, "execution_methods = ['go']")
    pyproject = str(root / "pyproject.toml")
    cache_directory.mkdir(mode=0o700)
    victim = tmp_path / "victim"
    victim.write_bytes(b"untouched")
    entry = cache.entry_path(str(cache_directory), pyproject)
    Path(f"{entry}.{os.getpid()}.tmp").symlink_to(victim)
    clear_caches()
    assert load_config(start=root / "module.py").execution_methods == ("go",)  # in this process
    assert victim.read_bytes() == b"untouched"
    assert Path(entry).is_file() and not Path(entry).is_symlink()


def test_temporary_files_of_a_killed_run_are_cleaned_up(tmp_path, cache_directory):
    cache_directory.mkdir(mode=0o700)
    stale = cache_directory / f"{cache.TEMPORARY_PREFIX}killed{cache.TEMPORARY_SUFFIX}"
    fresh = cache_directory / f"{cache.TEMPORARY_PREFIX}writing{cache.TEMPORARY_SUFFIX}"
    other = cache_directory / "not-ours.tmp"
    for path in (stale, fresh, other):
        path.write_bytes(b"half an entry")
    hour_ago = time.time() - 3600
    os.utime(stale, (hour_ago, hour_ago))
    os.utime(other, (hour_ago, hour_ago))
    load(project(tmp_path, "execution_methods = ['go']"))  # a miss: parses and writes an entry
    assert not stale.exists()
    assert fresh.exists() and other.exists()
