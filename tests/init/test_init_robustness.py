"""`phase12 init` must never crash on valid Python: arbitrary modules, generated from the
grammar, dropped into every role's package of a working codebase."""

from __future__ import annotations

import tempfile
from pathlib import Path

import hypothesmith
import pytest
from hypothesis import HealthCheck, given, settings
from init_projects import INJECTED, write_project

from flake8_phase12.init import build_proposal, discover

ROLE_PACKAGES = ("app/services", "app/engine", "app/web", "app/tools")


@pytest.mark.filterwarnings("ignore::SyntaxWarning")  # from the generated sources
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
@given(source=hypothesmith.from_node())
def test_discovery_survives_arbitrary_modules_next_to_every_role(source: str):
    with tempfile.TemporaryDirectory() as directory:
        root = write_project(Path(directory), INJECTED)
        for package in ROLE_PACKAGES:
            (root / package / "generated.py").write_text(source, encoding="utf-8")
        discovery = discover(root)
        if not discovery.missing:
            build_proposal(discovery)


CORNER_CASES = {
    "recursive wiring": """
        class A:
            def __init__(self, a=None):
                self._a = a or A(self)

            def go(self):
                return self._a.go()
    """,
    "self-referential globals": """
        x = x if False else y
        y = x
        def f():
            global x
            x = f()
            return x.run_tool(x)
    """,
    "odd calls": """
        (lambda: 0)()
        [].pop().run_tool()
        getattr(object(), "run_tool")(1)
        super().run_tool()
        async def g():
            await (await h()).run_tool()
    """,
    "relative imports beyond the root": """
        from ...... import nothing
        from . import *
    """,
}


def test_corner_cases_next_to_every_role(tmp_path):
    root = write_project(tmp_path / "project", INJECTED)
    for index, source in enumerate(CORNER_CASES.values()):
        for package in ROLE_PACKAGES:
            write_project(root, {f"{package}/corner_{index}.py": source})
    discovery = discover(root)
    assert not discovery.missing
    assert build_proposal(discovery).table["runner"]["class"] == "Executor"
