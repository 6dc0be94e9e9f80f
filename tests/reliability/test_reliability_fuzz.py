"""Fuzzing both adapters with generated programs: they never raise and never report GOV000.

hypothesmith writes syntactically valid but arbitrary Python (`from_grammar`: any program the
grammar allows; `from_node`: programs built from libcst nodes). Arbitrary programs rarely contain
a `ToolRunner`, a `plugin.run(...)` or a route, so the checks would mostly stop at their first
test. Two mutations push them deeper: renaming identifiers to the checklist's vocabulary
(`plugin`, `run`, `build_error_envelope`, ...), and planting the program inside the skeleton of a
runner, a service or a route. Each program is then checked as every role a file can play: the
runner, each service, the route, the registry, the envelope module and an ordinary module.

The number of examples comes from the `phase12-fuzz` hypothesis profile: 200 by
default (CI), more on demand with `PHASE12_FUZZ_EXAMPLES=5000 pytest tests/reliability`.
"""

from __future__ import annotations

import ast
import os
import random
from pathlib import Path

import astroid
import hypothesmith
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pylint.testutils import UnittestLinter
from pylint.utils import ASTWalker

from flake8_phase12.config import clear_caches
from flake8_phase12.flake8 import Phase12Checker as Flake8Checker
from flake8_phase12.pylint import Phase12Checker as PylintChecker

settings.register_profile(
    "phase12-fuzz",
    max_examples=int(os.environ.get("PHASE12_FUZZ_EXAMPLES", "200")),
    deadline=None,
    # Generated programs are big and slow to build; that is the point, not a problem.
    suppress_health_check=list(HealthCheck),
)
FUZZ = settings.get_profile("phase12-fuzz")

# Every role a file can play, as the path it would have in a checklist-shaped project.
ROLES = {
    "runner": "server/app/services/tool_runner.py",
    "plugin management": "server/app/services/plugin_management_service.py",
    "job management": "server/app/services/job_management_service.py",
    "analysis": "server/app/services/analysis_service.py",
    "route": "server/app/api/analyze.py",
    "registry": "server/app/plugin_registry.py",
    "envelope": "server/app/error_envelope.py",
    "ordinary": "server/app/helpers.py",
}

VOCABULARY = (
    "plugin", "p", "self", "registry", "_plugins", "plugins", "runner", "_runner", "_tool_runner",
    "ToolRunner", "run", "run_tool", "execute", "get", "get_plugin", "validate_input_payload",
    "validate_plugin_output", "build_error_envelope", "update_execution_metrics", "execute_plugin",
    "_plugin_mgmt", "_job_mgmt", "submit_job", "run_job", "analyze", "AnalysisService",
    "PluginManagementService", "JobManagementService", "HTTPException", "Exception",
    "BaseException", "ValueError", "exc", "payload", "plugin_name", "result", "error", "getattr",
    "partial", "submit", "run_in_executor", "asyncio", "subprocess", "router", "post",
    "status_code", "detail", "success_count", "error_count", "state", "SUCCESS", "ERROR",
)  # fmt: skip

SKELETONS = (
    # The runner: the fuzz sits where lookup, validation and execution belong.
    "class ToolRunner:\n"
    "    def run(self, plugin_name, payload):\n"
    "        try:\n"
    "            pass\n"
    "        except Exception as exc:\n"
    "            return build_error_envelope(exc, plugin_name)\n"
    "        finally:\n"
    "            update_execution_metrics(plugin_name)\n",
    # A service method.
    "class PluginManagementService:\n"
    "    def execute_plugin(self, plugin_name, payload):\n"
    "        pass\n",
    # A route.
    "@router.post('/analyze')\n"
    "async def analyze(request):\n"
    "    pass\n",
    # The registry's metrics function.
    "def update_execution_metrics(self, plugin_name, success, elapsed_ms):\n"
    "    pass\n",
)


def parses(source: str) -> bool:
    try:
        ast.parse(source)
        astroid.parse(source)
    except Exception:  # noqa: BLE001 - only programs both hosts accept are of interest
        return False
    return True


class Renamer(ast.NodeTransformer):
    """Renames about half the identifiers to the checklist's vocabulary."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def _pick(self, name: str) -> str:
        return self.rng.choice(VOCABULARY) if self.rng.random() < 0.5 else name

    def visit_Name(self, node: ast.Name) -> ast.Name:
        node.id = self._pick(node.id)
        return node

    def visit_Attribute(self, node: ast.Attribute) -> ast.Attribute:
        self.generic_visit(node)
        node.attr = self._pick(node.attr)
        return node

    def visit_arg(self, node: ast.arg) -> ast.arg:
        node.arg = self._pick(node.arg)
        return node

    def _visit_definition(self, node):
        self.generic_visit(node)
        node.name = self._pick(node.name)
        return node

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _visit_definition


def renamed(source: str, rng: random.Random) -> str:
    try:
        return ast.unparse(Renamer(rng).visit(ast.parse(source)))
    except Exception:  # noqa: BLE001 - a rename the unparser cannot write: keep the original
        return source


def planted(source: str, skeleton: str) -> str:
    """The program's statements in place of the skeleton's `pass`."""
    try:
        tree = ast.parse(skeleton)
        body = ast.parse(source).body or [ast.Pass()]
        holder = next(node for node in ast.walk(tree)
                      if isinstance(getattr(node, "body", None), list)
                      and any(isinstance(statement, ast.Pass) for statement in node.body))
        holder.body = body
        return ast.unparse(ast.fix_missing_locations(tree))
    except Exception:  # noqa: BLE001 - not plantable (e.g. unparser limits): use it as is
        return source


# Built once: each call compiles hypothesmith's grammar, which costs far more than a draw.
GENERATED = st.one_of(hypothesmith.from_grammar(), hypothesmith.from_node())


@st.composite
def programs(draw) -> str:
    source = draw(GENERATED)
    if draw(st.booleans()):
        # A seeded Random, not `st.randoms()`: one hypothesis draw per identifier is far too slow.
        source = renamed(source, random.Random(draw(st.integers(0, 2**32 - 1))))
    skeleton = draw(st.sampled_from((None, *SKELETONS)))
    if skeleton is not None:
        source = planted(source, skeleton)
    assume(parses(source))
    return source


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A project whose configuration excludes nothing, so every gate is exercised."""
    root = tmp_path_factory.mktemp("fuzz-project")
    (root / "pyproject.toml").write_text("[tool.phase12]\nexclude = []\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def flake8_config(project):
    previous = Flake8Checker.config_file
    Flake8Checker.config_file = str(project / "pyproject.toml")
    clear_caches()
    yield
    Flake8Checker.config_file = previous
    clear_caches()


def flake8_codes(source: str, path: Path) -> list[str]:
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    return [text.split(" ", 1)[0] for _, _, text, _ in Flake8Checker(tree, str(path), lines).run()]


def pylint_symbols(source: str, path: Path, project: Path) -> list[str]:
    linter = UnittestLinter()
    checker = PylintChecker(linter)
    linter.register_checker(checker)
    linter.config.phase12_config = str(project / "pyproject.toml")
    checker.open()
    module_name = ".".join(Path(path).relative_to(project).with_suffix("").parts)
    module = astroid.parse(source, module_name=module_name, path=str(path))
    walker = ASTWalker(linter)
    walker.add_checker(checker)
    walker.walk(module)
    return [message.msg_id for message in linter.release_messages()]


@pytest.mark.slow
@pytest.mark.usefixtures("flake8_config")
# Generated programs such as `1()` make the compiler warn; that is the input, not a finding.
@pytest.mark.filterwarnings("ignore::SyntaxWarning")
@FUZZ
@given(source=programs())
def test_neither_adapter_raises_nor_reports_an_internal_error(source, project):
    # Both adapters see the same program in every role: generation is the expensive part.
    for role, path in ROLES.items():
        codes = flake8_codes(source, project / path)
        assert "GOV000" not in codes, f"flake8 plugin: GOV000 as the {role} module"
        symbols = pylint_symbols(source, project / path, project)
        assert not {"phase12-internal-error", "phase12-config-error"} & set(symbols), \
            f"pylint checker: internal error as the {role} module"


@pytest.mark.parametrize("role", sorted(ROLES))
@pytest.mark.usefixtures("flake8_config")
def test_the_fuzz_harness_sees_findings_in_every_adapter(role, project):
    """The harness itself works: a planted direct execution is reported through both adapters
    wherever GOV101 applies (everywhere but the runner), so a silent harness cannot pass."""
    source = planted("return plugin.run(payload)", SKELETONS[1])
    path = project / ROLES[role]
    expected = [] if role == "runner" else ["GOV101"]
    assert [code for code in flake8_codes(source, path) if code == "GOV101"] == expected
    pylint_found = [symbol for symbol in pylint_symbols(source, path, project)
                    if symbol == "direct-plugin-execution"]
    assert pylint_found == (["direct-plugin-execution"] if expected else [])
