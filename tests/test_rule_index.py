"""The registry's per-role gates: rules modules load only for the files they can concern."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from functional import all_cases

from flake8_phase12 import rule_index as registry
from flake8_phase12.analysis.context import FileContext
from flake8_phase12.config import config_for_file, config_from_mapping
from flake8_phase12.lint_file import check_file
from flake8_phase12.rules import FILE_CHECK_GATES, Check, every_file

ROOT = Path(__file__).resolve().parents[1]
FUNCTIONAL_ROOT = Path("/phase12-functional-project")


def fixture_contexts() -> list[tuple[str, FileContext]]:
    contexts = []
    for case in all_cases():
        config = config_from_mapping(case.table, project_root=FUNCTIONAL_ROOT)
        path = str(FUNCTIONAL_ROOT / case.virtual_path)
        contexts.append((case.id, FileContext(ast.parse(case.source), path, config, case.source)))
    for path in sorted((ROOT / "examples").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        contexts.append((str(path.relative_to(ROOT)),
                         FileContext(ast.parse(source), str(path), config_for_file(str(path)),
                                     source)))
    return contexts


CONTEXTS = fixture_contexts()


def test_every_rules_module_with_checks_has_a_gate():
    """A module missing from the table would never be loaded: its checks would never run."""
    with_checks = {name for name in registry.rule_module_names()
                   if getattr(registry.rule_module(name), "CHECKS", ())}
    assert set(FILE_CHECK_GATES) == with_checks


def test_a_check_is_gated_by_its_rules_module_and_narrowed_by_itself():
    for name, gate in FILE_CHECK_GATES.items():
        for check in registry.module_checks(name):
            assert check.gate is gate, (name, check.name)

    class Narrowed(Check):
        def within_role(self, ctx):
            return "keep" in ctx.source

        def run(self, ctx):
            yield from ()

    # Defined outside the rules modules: every file is of its role, and it narrows itself.
    config = config_from_mapping({}, project_root=FUNCTIONAL_ROOT)
    path = str(FUNCTIONAL_ROOT / "app/anything.py")
    assert Narrowed.gate is every_file
    assert Narrowed().concerns(FileContext(ast.parse("keep = 1"), path, config, "keep = 1"))
    assert not Narrowed().concerns(FileContext(ast.parse("x = 1"), path, config, "x = 1"))


def test_the_chain_gate_reads_the_text_of_the_runner_module():
    gate = FILE_CHECK_GATES["delegation_chain"]
    by_name = dict(CONTEXTS)
    # The compliant runner names nothing of the layers above it: the chain check is not loaded.
    assert not gate(by_name["examples/compliant/server/app/services/tool_runner.py"])
    config = config_from_mapping({}, project_root=FUNCTIONAL_ROOT)
    runner = str(FUNCTIONAL_ROOT / "server/app/services/tool_runner.py")
    for source in ("from ..api import analyze\n", "from . import job_management_service\n",
                   "x = self._plugin_mgmt\n", "AnalysisService.current()\n"):
        assert gate(FileContext(ast.parse(source), runner, config, source)), source
    # The API is the top layer, judged by the API contract check (GOV608): the chain check
    # leaves it alone.
    route = str(FUNCTIONAL_ROOT / "server/app/api/analyze.py")
    source = "from ..services.tool_runner import ToolRunner\n"
    assert not gate(FileContext(ast.parse(source), route, config, source))


def test_the_chain_gate_opens_outside_the_chain_only_for_text_naming_a_lower_entry():
    gate = FILE_CHECK_GATES["delegation_chain"]
    config = config_from_mapping({}, project_root=FUNCTIONAL_ROOT)
    cli = str(FUNCTIONAL_ROOT / "server/cli.py")

    def opens(source: str) -> bool:
        return gate(FileContext(ast.parse(source), cli, config, source))

    for source in ('"""Run the runner."""\n', "def execute_plugin():\n    pass\n",
                   "runner = None\n"):
        assert not opens(source), source
    for source in ("services.runner.run(name, payload)\n", "jobs.submit_job(name, payload)\n",
                   "gateway.execute_plugin(name, payload)\n"):
        assert opens(source), source


def test_the_direct_execution_gate_tells_a_method_reference_from_a_word():
    """GOV101's module loads for text that may execute a plugin, not for `runner` in prose."""
    gate = FILE_CHECK_GATES["direct_execution"]
    config = config_from_mapping({}, project_root=FUNCTIONAL_ROOT)
    path = str(FUNCTIONAL_ROOT / "server/app/validation.py")

    def opens(source: str) -> bool:
        return gate(FileContext(ast.parse(source), path, config, source))

    for source in ('"""Errors the runner turns into envelopes."""\n', "runner = None\n",
                   "def run_all():\n    pass\n", "x = 'run'\n"):
        assert not opens(source), source
    for source in ("plugin.run(payload)\n", "plugin.\\\n    run(payload)\n",
                   "getattr(plugin, 'run')(payload)\n", "f = plugin.run\n"):
        assert opens(source), source
    # Without the text (an AST alone) the gate cannot tell: it opens.
    tree = ast.parse("runner = None\n")
    assert gate(FileContext(tree, path, config, ""))


def test_gates_keep_most_files_away_from_the_role_rules():
    """The point of the gates: a plain file loads at most GOV101's module, and the chain
    check's when it calls the runner (`runner.run(...)` in a test: outside the chain, a call of
    the runner's method is what the chain check judges)."""
    plain = [ctx for _, ctx in CONTEXTS if ctx.module_path.endswith("validation")
             and "services" not in ctx.module_path]
    assert plain
    for ctx in plain:
        gated = [name for name, gate in FILE_CHECK_GATES.items() if gate(ctx)]
        allowed = {"direct_execution", "delegation_chain"} if ".run(" in ctx.source \
            else {"direct_execution"}
        assert set(gated) <= allowed, ctx.path


def test_linting_a_plain_module_never_imports_the_runner_analysis():
    """In a fresh interpreter, as flake8 starts: checking a plain module loads only what it needs."""
    code = (
        "import ast, sys\n"
        "from flake8_phase12.config import config_for_file\n"
        "from flake8_phase12.lint_file import check_file\n"
        f"path = {str(ROOT / 'examples/compliant/server/app/validation.py')!r}\n"
        "source = open(path, encoding='utf-8').read()\n"
        "check_file(ast.parse(source), path, config_for_file(path), source)\n"
        "print(sorted(m for m in sys.modules if m.startswith('flake8_phase12.')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, cwd=ROOT)
    loaded = result.stdout
    # validation.py names the runner in prose only: not even GOV101's analysis is loaded.
    for heavy in ("flake8_phase12.rules.direct_execution", "flake8_phase12.analysis.plugins",
                  "flake8_phase12.analysis.flow", "flake8_phase12.analysis.raising",
                  "flake8_phase12.rules.exception_escape", "flake8_phase12.rules.api_contract",
                  "flake8_phase12.analysis.references"):
        assert heavy not in loaded


def test_a_failing_gate_is_one_internal_error_and_the_other_rules_still_run(monkeypatch):
    def broken_gate(ctx):
        raise RuntimeError("gate exploded")

    monkeypatch.setitem(FILE_CHECK_GATES, "envelope_shape", broken_gate)
    source = "def handle(plugin):\n    return plugin.run({})\n"
    config = config_from_mapping({}, project_root=FUNCTIONAL_ROOT)
    findings = check_file(ast.parse(source), str(FUNCTIONAL_ROOT / "app/handlers.py"), config,
                          source)
    codes = sorted(finding.code for finding in findings)
    assert codes == ["GOV000", "GOV101"]
    internal = next(finding for finding in findings if finding.code == "GOV000")
    assert "rules module envelope_shape" in internal.message
    assert "gate exploded" in internal.message
