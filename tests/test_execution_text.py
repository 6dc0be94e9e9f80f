"""The text pre-filter for plugin execution (`analysis.execution_text`): which files
and lines may reference an execution method. It is a hand scan; the regex it replaced is kept
here as the reference, and the scan must find a reference wherever the regex did."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flake8_phase12.analysis.execution_text import execution_offsets, may_execute_plugins
from flake8_phase12.analysis.plugins import execution_lines

METHODS = ("run", "execute")
PIECES = st.sampled_from(["run", "execute", "runner", ".", " ", "\n", "(", ")", "'", '"',
                          "getattr", "x", "_", ",", "é", "1"])
TEXTS = st.lists(PIECES, max_size=12).map("".join)


def reference_regex(methods: tuple[str, ...]) -> re.Pattern[str]:
    """Every `.method` reference, and every `getattr(` call: its method name may be a
    variable, and its first argument any expression, calls included."""
    names = "|".join(re.escape(method) for method in methods)
    return re.compile(rf"\.\s*(?:{names})\b|(?<![\w])getattr\s*\(")


@pytest.mark.parametrize(("text", "expected"), [
    ("plugin.run(payload)", True),
    ("plugin.\n    run(payload)", True),
    ("getattr(plugin, 'run')(payload)", True),
    ('getattr (plugin, "execute")', True),
    ("plugin.runner", False),
    ("run(payload)", False),
    ("# we run things", False),
    ("getattr(plugin, name)('run')", True),  # a computed method name may be the execution one
    ("getattr(registry.get(name), 'run')(payload)", True),  # a call as the first argument
    ("self.getattribute('run')", False),
    ("subprocess.run_all", False),
    ("", False),
])
def test_the_scan_finds_method_references(text, expected):
    assert may_execute_plugins(text, METHODS) is expected


def test_lines_are_those_of_each_reference():
    text = "a = 1\nplugin.run()\nb = 2\nx = getattr(p, 'execute')\nplugin.run(); plugin.run()\n"
    assert execution_lines(text, METHODS) == [2, 4, 5]


@given(TEXTS)
def test_the_scan_agrees_with_the_regex(text):
    regex = reference_regex(METHODS)
    assert may_execute_plugins(text, METHODS) is (regex.search(text) is not None)
    # Every line the regex pointed at is a line the scan points at (the walk may skip the others).
    regex_lines = {text.count("\n", 0, match.start()) + 1 for match in regex.finditer(text)}
    assert regex_lines <= set(execution_lines(text, METHODS))
    assert execution_offsets(text, METHODS) == sorted(set(execution_offsets(text, METHODS)))
