"""Module patterns (`runner.module`, `api.route_modules`, ...) match a dotted suffix of a module
path, and exclude patterns match names or leading parts of a relative path. Every pattern has
fnmatch's semantics, and is matched without regular expressions unless it has a character class
(`analysis/globs.py`); fnmatch itself, name by name, is the reference here."""

from __future__ import annotations

import fnmatch
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


def module_reference(module_path: str, patterns: list[str]) -> bool:
    """The reference: fnmatch, name by name, over the dotted suffix (or, for `pkg.*`, any run
    of names) of the module path."""
    names = module_path.split(".") if module_path else []
    for pattern in patterns:
        if not pattern:
            continue
        package = pattern.endswith(".*")
        wanted = (pattern[:-2] if package else pattern).split(".")
        starts = range(len(names) - len(wanted) + 1) if package else [len(names) - len(wanted)]
        if any(start >= 0 and all(fnmatch.fnmatchcase(name, want) for name, want
                                  in zip(names[start:start + len(wanted)], wanted))
               for start in starts):
            return True
    return False


def exclude_reference(path: str, patterns: tuple[str, ...]) -> bool:
    """The reference for exclude patterns: fnmatch on each name for a pattern without `/`, on
    each leading part of the path (up to a `/` or the end) for one with `/`."""
    names = path.split("/")
    leading = ["/".join(names[:end]) for end in range(1, len(names) + 1)]
    for raw in patterns:
        pattern = raw.strip("/")
        if pattern and any(fnmatch.fnmatchcase(part, pattern)
                           for part in (leading if "/" in pattern else names)):
            return True
    return False


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
    assert module_matches(module_path, patterns) is module_reference(module_path, patterns)


@given(MODULE_PATHS, st.lists(WILD_PATTERNS, min_size=1, max_size=3))
def test_wildcard_patterns_agree_with_the_regex(module_path, patterns):
    assert module_matches(module_path, patterns) is module_reference(module_path, patterns)


@given(RELATIVE_PATHS, EXCLUDE_PATTERNS)
def test_exclude_patterns_agree_with_the_regex(path, patterns):
    path = PurePosixPath(path)
    assert path_excluded(path, tuple(patterns)) is exclude_reference(path.as_posix(), tuple(patterns))


@given(st.lists(PIECES, min_size=0, max_size=6).map("".join), TEXTS)
def test_every_pattern_has_fnmatch_semantics(pattern, text):
    """One pattern language: receiver patterns (`*registry.get()`, `plugins[]`) and the names
    of module and exclude patterns are all matched as fnmatch matches them."""
    assert glob_match(pattern, text) is fnmatch.fnmatchcase(text, pattern)
    assert matches_any(text, [pattern]) is fnmatch.fnmatchcase(text, pattern)


@pytest.mark.parametrize(("module_path", "receiver", "path", "pattern"), [
    ("x.app.services", "app.services", "app/services/a.py", "app.[st]ervices"),
    ("x.app.tervices", "app.tervices", "app/tervices/a.py", "app.[st]ervices"),
])
def test_a_character_class_means_the_same_in_every_kind_of_pattern(
        module_path, receiver, path, pattern):
    assert module_matches(module_path, (pattern,))
    assert matches_any(receiver, [pattern])
    assert path_excluded(PurePosixPath(path), (pattern.replace(".", "/"),))
    assert not module_matches("x.app.xervices", (pattern,))
    assert not path_excluded(PurePosixPath("app/xervices/a.py"), (pattern.replace(".", "/"),))
