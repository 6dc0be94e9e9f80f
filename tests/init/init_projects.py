"""Codebases for the `phase12 init` tests: the bundled examples renamed throughout, and small
purpose-built projects that differ from the checklist's names in one way each.

The renamed copies change names on the same lines (never the line structure), so a finding
on line N of a renamed file corresponds to the finding on line N of the original.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
EXAMPLES = REPOSITORY / "examples"
FLAKE8_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>GOV\d{3}) ")

# Module paths, then names; longest and most specific first, applied in order.
MODULE_RENAMES = (
    ("server/app/services/", "server/app/workflow/"),
    ("server/app/api/analyze.py", "server/app/web/inspection.py"),
    ("server/app/api/", "server/app/web/"),
    ("server/app/plugins/", "server/app/tools/"),
    ("analysis_service.py", "orchestration_service.py"),
    ("job_management_service.py", "task_service.py"),
    ("plugin_management_service.py", "tool_service.py"),
    ("tool_runner.py", "executor.py"),
    ("plugin_registry.py", "tool_catalog.py"),
    ("error_envelope.py", "failures.py"),
    ("validation.py", "checks.py"),
)
TEXT_RENAMES = (
    # The plugin interface: executed with `run_tool`.
    (r"def run\(self, payload", "def run_tool(self, payload"),
    (r"\bplugin\.run\b", "plugin.run_tool"),
    (r"\]\.run\(payload\)", "].run_tool(payload)"),
    (r"\.get\(name\)\.run\(", ".get(name).run_tool("),
    (r"\bp\.run\(", "p.run_tool("),
    (r'getattr\(plugin, "run"\)', 'getattr(plugin, "run_tool")'),
    # The runner: `Executor.execute`, held as `self._invoker`.
    (r"def run\(self, plugin_name", "def execute(self, plugin_name"),
    (r"_runner\.run\(", "_runner.execute("),
    (r"\)\.run\(request", ").execute(request"),
    (r"\btool_runner\b", "executor"),
    (r"\bToolRunner\b", "Executor"),
    (r"\b_runner\b", "_invoker"),
    # The services.
    (r"\bapp\.services\b", "app.workflow"),
    (r"\bget_analysis_service\b", "get_orchestrator"),
    (r"\bset_analysis_service\b", "set_orchestrator"),
    (r"\banalysis_service\b", "orchestration_service"),
    (r"\bAnalysisService\b", "OrchestrationService"),
    (r"def analyze\(self", "def orchestrate(self"),
    (r"\)\.analyze\(", ").orchestrate("),
    (r"\bjob_management_service\b", "task_service"),
    (r"\bJobManagementService\b", "TaskService"),
    (r"\bplugin_management_service\b", "tool_service"),
    (r"\bPluginManagementService\b", "ToolService"),
    (r"\brun_job\b", "run_task"),
    (r"\bexecute_plugin\b", "execute_tool"),
    (r"\b_job_mgmt\b", "_tasks"),
    (r"\b_plugin_mgmt\b", "_tools"),
    # Registry, envelope, validation, metrics, plugins, routes.
    (r"\bplugin_registry\b", "tool_catalog"),
    (r"\bPluginRegistry\b", "ToolCatalog"),
    (r"\bbuild_error_envelope\b", "make_failure"),
    # The route's error test keeps "error" in its name: GOV703 recognises the test by the
    # `api.error_key` in the predicate's name, which no other key configures.
    (r"\bis_error_envelope\b", "has_error"),
    (r"\berror_envelope\b", "failures"),
    (r"\bapp\.validation\b", "app.checks"),
    (r"\bvalidate_input_payload\b", "check_request"),
    (r"\bvalidate_plugin_output\b", "check_result"),
    (r"\bupdate_execution_metrics\b", "record_usage"),
    (r"\bBasePlugin\b", "BaseTool"),
    (r"\bapp\.plugins\b", "app.tools"),
    (r"\bapp\.api\.analyze\b", "app.web.inspection"),
    (r"\bapp\.api\b", "app.web"),
    (r"import analyze, plugins", "import inspection, plugins"),
    (r"\banalyze\.router\b", "inspection.router"),
)


def rename_path(relative: str) -> str:
    for old, new in MODULE_RENAMES:
        relative = relative.replace(old, new)
    return relative


def rename_text(text: str) -> str:
    for pattern, replacement in TEXT_RENAMES:
        text = re.sub(pattern, replacement, text)
    return text


def renamed_copy(example: str, destination: Path, *, keep_pyproject: bool = False) -> Path:
    """`examples/<example>/server` renamed throughout (tests left out: the checks exclude them),
    with a pyproject.toml that has a comment and no phase12 or import-linter configuration; or,
    with `keep_pyproject`, the example's own pyproject.toml, renamed too."""
    source = EXAMPLES / example
    for path in sorted((source / "server").rglob("*.py")):
        relative = path.relative_to(source).as_posix()
        if "/tests/" in relative:
            continue
        target = destination / rename_path(relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(rename_text(path.read_text(encoding="utf-8")), encoding="utf-8")
    pyproject = rename_text((source / "pyproject.toml").read_text(encoding="utf-8")) if keep_pyproject \
        else RENAMED_PYPROJECT
    (destination / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    return destination


RENAMED_PYPROJECT = """\
# The image-analysis server, with its own names.
[project]
name = "analysis-server"  # keep this name: deployments refer to it
version = "12.0.0"

[tool.pytest.ini_options]
# Tests run from the project root.
pythonpath = ["."]
"""


def write_project(root: Path, files: dict[str, str]) -> Path:
    """Write a small project: {relative path: source (dedented)}."""
    for relative, text in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


def run_phase12(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """The `phase12` command as a user runs it."""
    return subprocess.run([sys.executable, "-m", "flake8_phase12", *args], cwd=cwd,
                          capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL)


def flake8_verdicts(project: Path) -> set[tuple[str, int, str]]:
    """(path relative to the project, line, code) of every GOV finding flake8 reports."""
    completed = subprocess.run([sys.executable, "-m", "flake8", "--select=GOV", "."], cwd=project,
                               capture_output=True, text=True, check=False)
    assert completed.returncode in (0, 1), completed.stderr
    found = set()
    for line in completed.stdout.splitlines():
        match = FLAKE8_LINE.match(line)
        if match:
            found.add((os.path.normpath(match["path"]).replace(os.sep, "/"), int(match["line"]),
                       match["code"]))
    return found


def lint_imports(project: Path) -> subprocess.CompletedProcess:
    executable = Path(sys.executable).with_name("lint-imports")
    return subprocess.run([str(executable), "--no-cache"], cwd=project, capture_output=True, text=True,
                          check=False)


def copy_example(example: str, destination: Path) -> Path:
    shutil.copytree(EXAMPLES / example, destination,
                    ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
    return destination


# -- A codebase with its own names, the runner injected into ToolService as a callable -------

INJECTED = {
    "pyproject.toml": """
        # Tool server: renamed services, the runner injected as a callable.
        [project]
        name = "tool-server"
    """,
    "app/__init__.py": "",
    "app/web/__init__.py": "",
    "app/web/routes.py": """
        from fastapi import APIRouter, Depends, HTTPException

        from app.container import get_orchestrator
        from app.services.orchestration import OrchestrationService

        router = APIRouter()


        @router.post("/v1/analyze")
        def analyze(body: dict, service: OrchestrationService = Depends(get_orchestrator)) -> dict:
            result = service.orchestrate(body["tool"], body["payload"])
            if "error" in result:
                raise HTTPException(status_code=400, detail=result["error"])
            return {"result": result, "plugin": body["tool"]}


        @router.get("/v1/health")
        def health() -> dict:
            return {"ok": True}
    """,
    "app/container.py": """
        from app.catalog import ToolCatalog
        from app.engine.executor import Executor
        from app.services.orchestration import OrchestrationService
        from app.services.tasks import TaskService
        from app.services.tools import ToolService

        _service: OrchestrationService | None = None


        def build() -> OrchestrationService:
            catalog = ToolCatalog()
            executor = Executor(catalog)
            return OrchestrationService(TaskService(ToolService(catalog, execute_tool=executor.execute)))


        def get_orchestrator() -> OrchestrationService:
            global _service
            if _service is None:
                _service = build()
            return _service
    """,
    "app/services/__init__.py": "",
    "app/services/orchestration.py": """
        from app.services.tasks import TaskService


        class OrchestrationService:
            def __init__(self, tasks: TaskService) -> None:
                self._tasks = tasks

            def orchestrate(self, name: str, payload: dict) -> dict:
                return self._tasks.run_task(name, payload)
    """,
    "app/services/tasks.py": """
        from app.services.tools import ToolService


        class TaskService:
            def __init__(self, tools: ToolService) -> None:
                self._tools = tools
                self.history: list[str] = []

            def run_task(self, name: str, payload: dict) -> dict:
                self.history.append(name)
                return self._tools.execute_tool(name, payload)
    """,
    "app/services/tools.py": """
        from collections.abc import Callable

        from app.catalog import ToolCatalog


        class ToolService:
            def __init__(self, catalog: ToolCatalog,
                         execute_tool: Callable[[str, dict], dict]) -> None:
                self._catalog = catalog
                self._execute_tool = execute_tool

            def execute_tool(self, name: str, payload: dict) -> dict:
                return self._execute_tool(name, payload)

            def names(self) -> list[str]:
                return self._catalog.names()
    """,
    "app/engine/__init__.py": "",
    "app/engine/executor.py": """
        import time

        from app.catalog import ToolCatalog
        from app.checks import check_request, check_result
        from app.failures import make_failure


        class Executor:
            def __init__(self, catalog: ToolCatalog) -> None:
                self._catalog = catalog

            def execute(self, name: str, payload: dict) -> dict:
                started = time.perf_counter()
                ok = False
                try:
                    check_request(payload)
                    tool = self._catalog.lookup(name)
                    raw = tool.run_tool(payload)
                    output = check_result(raw)
                    ok = True
                    return output
                except Exception as exc:
                    return make_failure(exc, name)
                finally:
                    self._catalog.record_usage(name, ok=ok, elapsed_ms=time.perf_counter() - started)
    """,
    "app/catalog.py": """
        import datetime

        from app.tools.base import BaseTool
        from app.tools.echo import EchoTool
        from app.tools.shout import ShoutTool


        class ToolCatalog:
            def __init__(self) -> None:
                self._tools: dict[str, BaseTool] = {"echo": EchoTool(), "shout": ShoutTool()}
                self._stats: dict[str, dict] = {}

            def lookup(self, name: str) -> BaseTool:
                return self._tools[name]

            def names(self) -> list[str]:
                return sorted(self._tools)

            def record_usage(self, name: str, *, ok: bool, elapsed_ms: float) -> None:
                stats = self._stats.setdefault(name, {"success_count": 0, "error_count": 0,
                                                      "avg_execution_time_ms": 0.0})
                if ok:
                    stats["success_count"] += 1
                else:
                    stats["error_count"] += 1
                total = stats["success_count"] + stats["error_count"]
                stats["avg_execution_time_ms"] += (elapsed_ms - stats["avg_execution_time_ms"]) / total
                stats["last_execution_time_ms"] = elapsed_ms
                stats["last_used"] = datetime.datetime.now(datetime.timezone.utc)
                stats["state"] = "SUCCESS" if ok else "ERROR"
    """,
    "app/checks.py": """
        def check_request(payload: object) -> None:
            if not isinstance(payload, dict) or not payload.get("image"):
                raise ValueError("image is empty")


        def check_result(raw: object) -> dict:
            if not isinstance(raw, dict):
                raise ValueError("tool output must be a dict")
            return raw
    """,
    "app/failures.py": """
        import datetime
        import traceback


        def make_failure(exc: BaseException, tool: str) -> dict:
            return {
                "error": {"type": type(exc).__name__, "message": str(exc), "details": {},
                          "plugin": tool,
                          "timestamp": datetime.datetime.now(datetime.timezone.utc).isoformat()},
                "_internal": {"traceback": "".join(traceback.format_exception(exc))},
            }
    """,
    "app/tools/__init__.py": "",
    "app/tools/base.py": """
        from abc import ABC, abstractmethod


        class BaseTool(ABC):
            name = "base"

            @abstractmethod
            def run_tool(self, payload: dict) -> dict:
                \"\"\"Process one payload.\"\"\"

            def describe(self) -> dict:
                return {"name": self.name}
    """,
    "app/tools/echo.py": """
        from app.tools.base import BaseTool


        class EchoTool(BaseTool):
            name = "echo"

            def run_tool(self, payload: dict) -> dict:
                return {"echo": payload["image"]}
    """,
    "app/tools/shout.py": """
        import subprocess

        from app.tools.base import BaseTool


        class ShoutTool(BaseTool):
            name = "shout"

            def run_tool(self, payload: dict) -> dict:
                completed = subprocess.run(["echo", str(payload["image"])], capture_output=True,
                                           check=False)
                return {"shout": completed.stdout.decode().upper()}
    """,
}

# The same codebase with violations: ToolService runs a tool itself and TaskService calls the
# executor directly.
INJECTED_VIOLATIONS = {
    "app/services/tasks.py": """
        from app.catalog import ToolCatalog
        from app.engine.executor import Executor
        from app.services.tools import ToolService


        class TaskService:
            def __init__(self, tools: ToolService) -> None:
                self._tools = tools
                self._executor = Executor(ToolCatalog())
                self.history: list[str] = []

            def run_task(self, name: str, payload: dict) -> dict:
                self.history.append(name)
                return self._tools.execute_tool(name, payload)

            def retry_task(self, name: str, payload: dict) -> dict:
                return self._executor.execute(name, payload)
    """,
    "app/services/tools.py": """
        from collections.abc import Callable

        from app.catalog import ToolCatalog


        class ToolService:
            def __init__(self, catalog: ToolCatalog,
                         execute_tool: Callable[[str, dict], dict]) -> None:
                self._catalog = catalog
                self._execute_tool = execute_tool

            def execute_tool(self, name: str, payload: dict) -> dict:
                if payload.get("fast"):
                    return self._catalog.lookup(name).run_tool(payload)
                return self._execute_tool(name, payload)

            def names(self) -> list[str]:
                return self._catalog.names()
    """,
}


def without_init_files(files: dict[str, str]) -> dict[str, str]:
    """The same project as namespace packages only (PEP 420: no `__init__.py` anywhere)."""
    return {path: text for path, text in files.items() if not path.endswith("__init__.py")}


def under_src(files: dict[str, str]) -> dict[str, str]:
    """The same project in a `src/` layout."""
    return {(path if path == "pyproject.toml" else f"src/{path}"): text for path, text in files.items()}


# -- A plain-function runner, plugins behind a Protocol, no FastAPI ------------------------------

PLAIN_FUNCTION = {
    "svc/__init__.py": "",
    "svc/cli.py": """
        import sys

        from svc.facade import AnalysisFacade


        def main() -> None:
            print(AnalysisFacade().analyze(sys.argv[1], {"image": sys.argv[2]}))
    """,
    "svc/facade.py": """
        from svc.jobs import JobQueue


        class AnalysisFacade:
            def __init__(self) -> None:
                self._jobs = JobQueue()

            def analyze(self, name: str, payload: dict) -> dict:
                return self._jobs.submit(name, payload)
    """,
    "svc/jobs.py": """
        from svc.hub import PluginHub


        class JobQueue:
            def __init__(self) -> None:
                self._hub = PluginHub()

            def submit(self, name: str, payload: dict) -> dict:
                return self._hub.dispatch(name, payload)
    """,
    "svc/hub.py": """
        from svc.registry import Registry
        from svc.safety import run_plugin_safely


        class PluginHub:
            def __init__(self) -> None:
                self._registry = Registry()

            def dispatch(self, name: str, payload: dict) -> dict:
                return run_plugin_safely(self._registry, name, payload)
    """,
    "svc/safety.py": """
        from svc.registry import Registry


        def run_plugin_safely(registry: Registry, name: str, payload: dict) -> dict:
            try:
                validate_input_payload(payload)
                plugin = registry.get(name)
                raw_output = plugin.execute(payload)
                return validate_plugin_output(raw_output)
            except Exception as exc:
                return build_error_envelope(exc, name)
            finally:
                registry.update_execution_metrics(name)


        def validate_input_payload(payload: dict) -> None:
            if not payload:
                raise ValueError("empty payload")


        def validate_plugin_output(raw_output: object) -> dict:
            if not isinstance(raw_output, dict):
                raise ValueError("output must be a dict")
            return raw_output


        def build_error_envelope(exc: BaseException, name: str) -> dict:
            return {"error": {"type": type(exc).__name__, "message": str(exc), "plugin": name}}
    """,
    "svc/registry.py": """
        from svc.plugins.base import Plugin
        from svc.plugins.blur import Blur


        class Registry:
            def __init__(self) -> None:
                self._plugins: dict[str, Plugin] = {"blur": Blur()}

            def get(self, name: str) -> Plugin:
                return self._plugins[name]

            def update_execution_metrics(self, name: str) -> None:
                pass
    """,
    "svc/plugins/__init__.py": "",
    "svc/plugins/base.py": """
        from typing import Protocol


        class Plugin(Protocol):
            def execute(self, payload: dict) -> dict:
                ...
    """,
    "svc/plugins/blur.py": """
        class Blur:
            def execute(self, payload: dict) -> dict:
                return {"blurred": True}
    """,
}
