"""Module patterns (`runner.module`, `api.route_modules`, ...) match a dotted suffix of a module
path, and exclude patterns match names or leading parts of a relative path. Both are matched
without regular expressions (`analysis/globs.py`); the regexes they replaced are kept here as
the reference their answers must agree with."""

from __future__ import annotations

import fnmatch
import re
from pathlib import PurePosixPath

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flake8_phase12.analysis.context import module_matches, path_excluded
from flake8_phase12.analysis.globs import glob_match
from flake8_phase12.analysis.names import matches_any

NAMES = st.sampled_from(["app", "server", "tool_runner", "runner", "services", "api", "a", "_x"])
MODULE_PATHS = st.lists(NAMES, min_size=0, max_size=5).map(".".join)
PLAIN_PATTERNS = st.lists(NAMES, min_size=1, max_size=3).map(".".join)
# Pattern pieces: names, parts of names, wildcards, and characters a regex would treat specially.
PIECES = st.sampled_from(["app", "run", "ner", "tool_", "a", "_", "*", "?", "[", "]", "!", ".", "+", "\\"])
GLOB_NAMES = st.lists(PIECES, min_size=1, max_size=4).map("".join)
WILD_PATTERNS = st.lists(GLOB_NAMES, min_size=1, max_size=3).map(".".join).flatmap(
    lambda pattern: st.sampled_from([pattern, pattern + ".*"]))
TEXTS = st.lists(st.sampled_from(["app", "run", "ner", "tool_runner", "a", "_", "[", "+", "x.y"]),
                 min_size=0, max_size=4).map("".join)
PATH_NAMES = st.sampled_from(["tests", "test_x.py", "x_test.py", "conftest.py", "src", "app",
                              "a.py", "", "tests_data"])
RELATIVE_PATHS = st.lists(PATH_NAMES, min_size=1, max_size=4).map("/".join)
EXCLUDE_PATTERNS = st.lists(
    st.sampled_from(["tests", "test", "test_*.py", "*_test.py", "conftest.py", "src/app", "/src/",
                     "*/a.py", "src/*", "?pp", "te?ts", "", "*", "a[1].py", "src/**/x"]),
    min_size=0, max_size=4)


def module_regex(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """The reference: how module patterns were matched before, by one regex per list."""
    alternatives = []
    for pattern in patterns:
        if not pattern:
            continue
        if pattern.endswith(".*"):
            alternatives.append(_wildcards(pattern[:-2], "[^.]") + r"(?:\.|$)")
        else:
            alternatives.append(_wildcards(pattern, "[^.]") + "$")
    if not alternatives:
        return re.compile(r"(?!)")
    return re.compile(r"(?:^|\.)(?:" + "|".join(alternatives) + ")")


def exclude_regex(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """The reference for exclude patterns, as they were matched before."""
    alternatives = []
    for raw in patterns:
        pattern = raw.strip("/")
        if not pattern:
            continue
        if "/" in pattern:
            alternatives.append("^" + _wildcards(pattern, ".") + "(?:/|$)")
        else:
            alternatives.append("(?:^|/)" + _wildcards(pattern, "[^/]") + "(?:/|$)")
    if not alternatives:
        return re.compile(r"(?!)")
    return re.compile("|".join(alternatives))


def _wildcards(pattern: str, one_char: str) -> str:
    return "".join(one_char + "*" if char == "*" else one_char if char == "?" else re.escape(char)
                   for char in pattern)


def by_module_regex(module_path: str, patterns: list[str]) -> bool:
    return bool(module_path) and module_regex(tuple(patterns)).search(module_path) is not None


@pytest.mark.parametrize(("module_path", "patterns", "expected"), [
    ("server.app.services.tool_runner", ("tool_runner",), True),
    ("server.app.services.tool_runner", ("services.tool_runner",), True),
    ("server.app.services.tool_runner", ("runner",), False),
    ("server.app.services.tool_runner", ("app.services",), False),
    ("server.app.services", ("app.services.*",), True),
    ("server.app.services.jobs", ("app.services.*",), True),
    ("server.app.servicesx.jobs", ("app.services.*",), False),
    ("src.app.api.analyze", ("api.*",), True),
    ("src.app.api_v2.analyze", ("api.*",), False),
    ("app.jobs_service", ("*_service",), True),
    ("app.jobs_service.x", ("*_service",), False),
    ("app.jobs_service", ("app.*_serv?ce",), True),
    ("app.jobs.service", ("app.*service",), False),
    ("app.jobs_service", ("", "nothing"), False),
    ("", ("tool_runner",), False),
])
def test_patterns_match_dotted_suffixes(module_path, patterns, expected):
    assert module_matches(module_path, patterns) is expected


@pytest.mark.parametrize(("path", "patterns", "expected"), [
    ("tests/test_x.py", ("tests",), True),
    ("src/app/test_x.py", ("test_*.py",), True),
    ("src/app/x_test.py", ("*_test.py",), True),
    ("src/app/x.py", ("test_*.py", "tests"), False),
    ("src/app/x.py", ("src/app",), True),
    ("src/application/x.py", ("src/app",), False),
    ("src/app/x.py", ("/src/",), True),
    ("lib/src/x.py", ("src/x.py",), False),
    ("src/a/b/x.py", ("src/*/x.py",), True),
    ("src/app/x.py", ("", "/"), False),
])
def test_exclude_patterns_match_names_or_leading_paths(path, patterns, expected):
    assert path_excluded(PurePosixPath(path), patterns) is expected


@given(MODULE_PATHS, st.lists(PLAIN_PATTERNS, min_size=1, max_size=3))
def test_plain_names_agree_with_the_regex(module_path, patterns):
    assert module_matches(module_path, patterns) is by_module_regex(module_path, patterns)


@given(MODULE_PATHS, st.lists(WILD_PATTERNS, min_size=1, max_size=3))
def test_wildcard_patterns_agree_with_the_regex(module_path, patterns):
    assert module_matches(module_path, patterns) is by_module_regex(module_path, patterns)


@given(RELATIVE_PATHS, EXCLUDE_PATTERNS)
def test_exclude_patterns_agree_with_the_regex(path, patterns):
    path = PurePosixPath(path)
    by_regex = exclude_regex(tuple(patterns)).search(path.as_posix()) is not None
    assert path_excluded(path, tuple(patterns)) is by_regex


@given(st.lists(PIECES, min_size=0, max_size=6).map("".join), TEXTS)
def test_glob_match_is_a_whole_string_glob(pattern, text):
    expected = re.fullmatch(_wildcards(pattern, "(?s:.)"), text) is not None
    assert glob_match(pattern, text) is expected


@given(st.lists(PIECES, min_size=0, max_size=6).map("".join), TEXTS)
def test_receiver_patterns_keep_fnmatch_semantics(pattern, text):
    """Receiver patterns (`*registry.get()`, `plugins[]`) are documented as fnmatch patterns,
    character classes included."""
    assert matches_any(text, [pattern]) is fnmatch.fnmatchcase(text, pattern)
