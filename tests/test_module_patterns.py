"""Module patterns (`runner.module`, `api.route_modules`, ...) match a dotted suffix of a module
path; plain names take a string fast path, wildcards a regex, and both must agree."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flake8_phase12.analysis.context import _module_regex, module_matches

NAMES = st.sampled_from(["app", "server", "tool_runner", "runner", "services", "api", "a", "_x"])
MODULE_PATHS = st.lists(NAMES, min_size=0, max_size=5).map(".".join)
PLAIN_PATTERNS = st.lists(NAMES, min_size=1, max_size=3).map(".".join)


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
    ("app.jobs_service", ("", "nothing"), False),
    ("", ("tool_runner",), False),
])
def test_patterns_match_dotted_suffixes(module_path, patterns, expected):
    assert module_matches(module_path, patterns) is expected


@given(MODULE_PATHS, st.lists(PLAIN_PATTERNS, min_size=1, max_size=3))
def test_the_plain_name_fast_path_agrees_with_the_regex(module_path, patterns):
    by_regex = bool(module_path) and _module_regex(tuple(patterns)).search(module_path) is not None
    assert module_matches(module_path, patterns) is by_regex
