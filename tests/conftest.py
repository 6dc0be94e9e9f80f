"""Settings for the whole test suite."""

from __future__ import annotations

import os
import tempfile

# The configuration cache (`flake8_phase12.config.cache`) stays on during the tests, so every
# flake8 run in them goes through it, but in a directory of this run, not in the user's home.
# Subprocesses (flake8, pylint, pre-commit) inherit it through the environment.
os.environ["PHASE12_CACHE_DIR"] = tempfile.mkdtemp(prefix="phase12-test-cache-")
os.environ.pop("PHASE12_NO_CACHE", None)


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite the functional fixtures' golden output (tests/functional/**.txt) "
                          "from what the engine reports")
