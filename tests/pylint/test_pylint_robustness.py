"""The inference never crashes pylint: odd code, failing inference, and any generated program."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import astroid
import hypothesmith
import pytest
from hypothesis import HealthCheck, assume, given, settings
from pylint.lint import Run
from pylint.reporters import CollectingReporter

from flake8_phase12.analysis.context import FileContext
from flake8_phase12.config import config_from_mapping
from flake8_phase12.pylint.executions import (
    EMPTY_MODULE,
    Session,
    candidates_in,
    inferred_executions,
)
from flake8_phase12.pylint.inference import PluginTypes

ROOT = Path("/phase12-robustness")


def scan(source: str, table: dict | None = None) -> list[tuple[int, str]]:
    """GOV101 findings by type for a module parsed by astroid, as the checker scans it."""
    path = ROOT / "app" / "service.py"
    module = astroid.parse(source, module_name="app.service", path=str(path))
    config = config_from_mapping(table or {}, project_root=ROOT)
    ctx = FileContext(EMPTY_MODULE, str(path), config, source)
    findings = inferred_executions(candidates_in(module, config.execution_methods), ctx,
                                   Session(config), set())
    return [(finding.line, finding.message) for finding in findings]


ODD_CODE = {
    "recursive helper": """
        def again(p):
            return again(p)

        again(object())
    """,
    "mutually recursive helpers": """
        def ping(p):
            return pong(p)

        def pong(p):
            return ping(p)

        ping(object())
    """,
    "self-inheriting class": """
        class Loop(Loop):
            pass

        Loop().run()
    """,
    "cyclic attribute": """
        class Holder:
            def __init__(self):
                self.a = self.a
                self.a.run()
    """,
    "self-referencing name": """
        def f():
            x = x.run()
            return x
    """,
    "broken string annotations": """
        def f(p: "not valid ]", q: "1 +", r: "", s: "Optional[]"):
            return p.run(), q.run(), r.run(), s.run()
    """,
    "getattr without a constant": """
        def f(plugin, name):
            return getattr(plugin, name)(), getattr(plugin)
    """,
    "star arguments to a helper": """
        def execute(p, x):
            return p.run(x)

        def f(args, kwargs):
            return execute(*args), execute(**kwargs)
    """,
    "lambda and nested definitions": """
        def execute(p):
            inner = lambda: p.run()
            def nested():
                return p.run()
            return inner, nested

        execute(object())
    """,
}


@pytest.mark.parametrize("name", sorted(ODD_CODE))
def test_odd_code_gives_no_finding_and_no_exception(name):
    assert scan(textwrap.dedent(ODD_CODE[name])) == []


def test_a_helper_executing_its_parameter_is_still_found_next_to_odd_code():
    source = textwrap.dedent(ODD_CODE["recursive helper"] + """
        class BasePlugin:
            def run(self, x):
                return x

        def execute(p, x):
            return p.run(x)

        execute(BasePlugin(), 1)
    """)
    assert [line for line, _ in scan(source)] == [len(source.splitlines())]


@pytest.mark.filterwarnings("ignore::SyntaxWarning")  # generated code such as `1()`
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(hypothesmith.from_grammar())
def test_any_program_scans_without_exception(source):
    try:
        ast.parse(source)
        astroid.parse(source, module_name="app.service", path=str(ROOT / "app" / "service.py"))
    except Exception:  # noqa: BLE001 - only programs both parsers accept are of interest
        assume(False)
    scan(source)


def test_an_inference_failure_becomes_one_internal_error_and_the_engine_findings_stay(
        tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text("[tool.phase12]\n", encoding="utf-8")
    module = tmp_path / "service.py"
    module.write_text(textwrap.dedent("""\
        def by_name(plugin):
            return plugin.run(1)


        def other(engine):
            return engine.run(2)
    """), encoding="utf-8")

    def explode(self, expression):
        raise RuntimeError("boom")

    monkeypatch.setattr(PluginTypes, "is_plugin", explode)
    reporter = CollectingReporter()
    Run(["--load-plugins=flake8_phase12.pylint", "--disable=all", "--enable=phase12",
         "--persistent=n", str(module)], reporter=reporter, exit=False)
    found = sorted((message.line, message.symbol, message.msg) for message in reporter.messages)
    assert [(line, symbol) for line, symbol, _ in found] == [
        (1, "phase12-internal-error"), (2, "direct-plugin-execution")]
    assert "internal error in GOV101 (pylint inference): RuntimeError: boom" in found[0][2]
