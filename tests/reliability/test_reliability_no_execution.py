"""The tools never import or execute the code they analyse.

Every module of the linted tree (packages' `__init__.py`, services, the runner, conftest files
where the layout has them) starts by writing a marker file. The tools then run as users run
them, from the project root (which `python -m` puts on `sys.path`, so an accidental import would
succeed): flake8 with the plugin, pylint with the plugin, lint-imports with this package's
contracts, `phase12 audit` and `phase12 compat`. No marker may appear. A control import at the
end proves that importing really writes the markers.

`phase12 audit` runs `[tool.phase12.tests] command` when one is configured: that is the user's
own test suite, executed on purpose, so the audit runs here with `--no-test-command`.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from flake8_phase12.pylint.messages import messages

REPOSITORY = Path(__file__).resolve().parents[2]
EXAMPLES = REPOSITORY / "examples"
TOOLS = ("flake8", "pylint", "lint-imports", "phase12 audit", "phase12 compat")

pytestmark = pytest.mark.slow

MINIMAL = {
    "pyproject.toml": textwrap.dedent("""\
        [tool.phase12.compat]
        against = "../baseline"

        [tool.importlinter]
        root_packages = ["server"]
        contract_types = ["strict_layers: import_contracts.StrictLayersContract"]

        [[tool.importlinter.contracts]]
        id = "chain"
        name = "services above the runner"
        type = "strict_layers"
        layers = ["server.app.services.plugin_management_service", "server.app.services.tool_runner"]
        """),
    "server/__init__.py": "",
    "server/app/__init__.py": "",
    "server/app/services/__init__.py": "",
    "server/app/services/plugin_management_service.py": textwrap.dedent("""\
        from __future__ import annotations

        from server.app.services.tool_runner import ToolRunner


        class PluginManagementService:
            def __init__(self) -> None:
                self._runner = ToolRunner()

            def execute_plugin(self, plugin_name, payload):
                return self._runner.run(plugin_name, payload)
        """),
    "server/app/services/tool_runner.py": textwrap.dedent("""\
        \"\"\"The runner.\"\"\"
        from __future__ import annotations


        class ToolRunner:
            def run(self, plugin_name, payload):
                return {"plugin": plugin_name}
        """),
}


def marked(source: str, markers: Path) -> str:
    """The module with a first statement (after the docstring and `__future__` imports, which
    must come first) that writes `<markers>/<module name>` when the module is executed."""
    tree = ast.parse(source)
    after = 0
    for index, statement in enumerate(tree.body):
        is_docstring = (index == 0 and isinstance(statement, ast.Expr)
                        and isinstance(statement.value, ast.Constant))
        is_future = isinstance(statement, ast.ImportFrom) and statement.module == "__future__"
        if not (is_docstring or is_future):
            break
        after = statement.end_lineno
    marker = (f"import pathlib as _phase12_marker; _phase12_marker.Path({str(markers)!r})"
              f".joinpath(__name__ + '.imported').write_text('executed')\n")
    lines = source.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    return "".join(lines[:after]) + marker + "".join(lines[after:])


def mark_tree(root: Path, markers: Path) -> int:
    count = 0
    for path in sorted(root.rglob("*.py")):
        path.write_text(marked(path.read_text(encoding="utf-8"), markers), encoding="utf-8")
        count += 1
    return count


def write_tree(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def example_layout(base: Path) -> Path:
    """The compliant example (with conftest.py files) and, beside it, its Phase 11 baseline."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache")
    shutil.copytree(EXAMPLES / "phase11", base / "phase11", ignore=ignore)
    shutil.copytree(EXAMPLES / "compliant", base / "project", ignore=ignore)
    return base / "project"


def minimal_layout(base: Path) -> Path:
    """Packages and modules only: no conftest.py, no tests, nothing but importable code."""
    write_tree(base / "baseline", MINIMAL)
    write_tree(base / "project", MINIMAL)
    return base / "project"


def run_tool(tool: str, project: Path) -> subprocess.CompletedProcess:
    python = sys.executable
    commands = {
        "flake8": [python, "-m", "flake8", "--select=GOV", "."],
        "pylint": [python, "-m", "pylint", "--load-plugins=flake8_phase12.pylint", "--disable=all",
                   f"--enable={','.join(message.symbol for message in messages())}",
                   "--persistent=n", "--score=n", "server"],
        "lint-imports": [str(Path(python).with_name("lint-imports")), "--no-cache"],
        "phase12 audit": [python, "-m", "flake8_phase12", "audit", "--no-test-command",
                          "--allow-unverified", "--no-progress", "."],
        "phase12 compat": [python, "-m", "flake8_phase12", "compat", "."],
    }
    return subprocess.run(commands[tool], cwd=project, capture_output=True, text=True,
                          check=False, timeout=600)


def finished(tool: str, returncode: int, findings_allowed: bool) -> bool:
    """Whether the tool ran to the end: a clean pass, or (where allowed) a report of findings.
    pylint's exit status is a bit mask: 1 fatal and 2 error must stay clear; 4 is a warning."""
    if not findings_allowed:
        return returncode == 0
    if tool == "pylint":
        return returncode & 3 == 0 and returncode < 32
    return returncode in (0, 1)


@pytest.mark.parametrize("layout", [example_layout, minimal_layout], ids=["example", "minimal"])
def test_no_tool_imports_or_executes_the_analysed_code(layout, tmp_path):
    if layout is example_layout and not (EXAMPLES / "compliant").is_dir():
        pytest.skip("the example codebases are not there")
    markers = tmp_path / "markers"
    markers.mkdir()
    project = layout(tmp_path / "tree")
    assert mark_tree(project.parent, markers) >= 5

    # The example is compliant, so every tool passes it; the minimal tree's stub runner has
    # findings (exit 1), which shows the tools did read it.
    for tool in TOOLS:
        result = run_tool(tool, project)
        assert finished(tool, result.returncode, findings_allowed=layout is minimal_layout), \
            f"{tool}: exit {result.returncode}: {result.stdout[-2000:]}{result.stderr[-2000:]}"
        assert "Traceback" not in result.stderr, f"{tool}: {result.stderr[-2000:]}"
        assert sorted(path.name for path in markers.iterdir()) == [], f"{tool} executed code"

    # The control: importing the package does write the markers.
    control = subprocess.run([sys.executable, "-c", "import server.app.services.tool_runner"],
                             cwd=project, capture_output=True, text=True, check=False)
    assert control.returncode == 0, control.stderr
    assert {"server.imported", "server.app.services.tool_runner.imported"} <= {
        path.name for path in markers.iterdir()}
