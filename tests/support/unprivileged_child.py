"""`python unprivileged_child.py USER TOOL ARGS...`: run TOOL (phase12, flake8 or pytest) as USER.

Started as the current user (see `unprivileged`): it first runs a read-only form of the command
on the same tree with its output discarded and imports every module of the package, so that
nothing is read later from directories USER may not enter, then drops to USER irrevocably and
runs the command in-process.
Installed distributions are read before the drop too (see `FrozenDistribution`): flake8 and
pytest look their plugins up again in every run. Its exit status is the command's.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import io
import os
import sys


def phase12(args: list[str]) -> int:
    from flake8_phase12.cli import main

    return main(args)


def flake8(args: list[str]) -> int:
    from flake8.main.cli import main

    return main(args)


def pytest_main(args: list[str]) -> int:
    import pytest

    return int(pytest.main(["-p", "no:cacheprovider", *args]))


def warm_up(tool: str, args: list[str]) -> None:
    """The command, read-only, as the current user: every module it imports is imported now."""
    # Text streams with a `buffer`, as flake8 writes bytes to `sys.stdout.buffer`.
    sink = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        try:
            if tool == "phase12":
                phase12(["audit", "--no-test-command", "--no-progress", "--format", "json", "."])
            elif tool == "flake8":
                flake8(args)
            else:
                pytest_main(["--collect-only", *args])
        except SystemExit:
            pass
    import_every_module()
    from flake8_phase12.baseline import clear_cache
    from flake8_phase12.config import clear_caches

    clear_caches()  # what the warm-up read must be read again, as USER
    clear_cache()


def import_every_module() -> None:
    """Every module of the package, imported now: the command imports some of them only when a
    file needs them (`init` more than the audit above), and the checkout may lie in a directory
    USER may not enter (CI clones it under `mktemp -d`), where an installed package would not."""
    import importlib
    import pkgutil

    import flake8_phase12

    for module in pkgutil.walk_packages(flake8_phase12.__path__, "flake8_phase12."):
        if module.name.rpartition(".")[2] != "__main__":  # that one runs the command
            with contextlib.suppress(ImportError):
                importlib.import_module(module.name)


class FrozenDistribution(importlib.metadata.Distribution):
    """An installed distribution whose metadata files were read before privileges were dropped.

    flake8 and pytest look their plugins up again in every run (`importlib.metadata`), and CI's
    virtual environment lives in a directory only its owner may enter: read after the drop, every
    entry point would be missing (no flake8 formatter, no `--phase12` option).
    """

    METADATA_FILES = ("METADATA", "PKG-INFO", "entry_points.txt", "top_level.txt", "RECORD",
                      "SOURCES.txt", "direct_url.json")

    def __init__(self, installed: importlib.metadata.Distribution) -> None:
        self._installed = installed
        self._texts = {name: installed.read_text(name) for name in self.METADATA_FILES}

    def read_text(self, filename):
        return self._texts.get(filename)

    def locate_file(self, path):
        return self._installed.locate_file(path)


def freeze_installed_distributions() -> None:
    frozen = [FrozenDistribution(installed) for installed in importlib.metadata.distributions()]

    def discover(**kwargs):
        name = kwargs.get("name")
        if name is None:
            return iter(frozen)
        wanted = name.replace("-", "_").lower()
        return iter([dist for dist in frozen
                     if (dist.metadata["Name"] or "").replace("-", "_").lower() == wanted])

    importlib.metadata.Distribution.discover = staticmethod(discover)


def drop_privileges(user: str) -> None:
    if os.geteuid() != 0:
        return
    import pwd

    entry = pwd.getpwnam(user)
    os.setgroups([])
    os.setgid(entry.pw_gid)
    os.setuid(entry.pw_uid)
    if os.geteuid() == 0:  # pragma: no cover - setuid failing silently would void the test
        raise SystemExit("could not drop root privileges")


def main() -> int:
    user, tool, *args = sys.argv[1:]
    warm_up(tool, args)
    freeze_installed_distributions()
    drop_privileges(user)
    commands = {"phase12": phase12, "flake8": flake8, "pytest": pytest_main}
    return commands[tool](args)


if __name__ == "__main__":
    sys.exit(main())
