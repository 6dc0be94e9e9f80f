"""A file of each role gets exactly the checks of that role, in a flake8 run and in a pylint run.

Each check's role is declared once (`rules.FILE_CHECK_GATES`, narrowed by the check itself):
here a small project with one module per role is linted by flake8 and by pylint, in this
process, with every check's `run` recorded, so both front ends are seen choosing the same checks.
"""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

import pytest
from flake8.main.application import Application
from pylint.lint import Run
from pylint.reporters.text import TextReporter

from flake8_phase12.config import clear_caches
from flake8_phase12.pylint.messages import messages
from flake8_phase12.rule_index import all_checks

RUNNER_CHECKS = {"EnvelopeShapeCheck", "ExceptionEscapeCheck", "InputValidationCheck",
                 "MetricsUpdateCheck", "OutputValidationCheck"}

# path -> (source, the checks that run on it). The names are the checklist's (the defaults),
# plus one sanctioned executor.
ROLES = {
    # A plain module, naming the runner only in prose.
    "app/validation.py": ('''
        """Checks the payload before the runner executes a plugin."""

        def validate_input(payload):
            return payload
        ''', set()),
    "app/services/tool_runner.py": ('''
        """The runner."""
        from app.error_envelope import build_error_envelope


        class ToolRunner:
            def run(self, plugin, payload):
                try:
                    return plugin.run(payload)
                except Exception as exc:
                    return build_error_envelope(exc, plugin)
        ''', RUNNER_CHECKS),
    "app/error_envelope.py": ('''
        """The error envelope."""

        def build_error_envelope(exc, plugin):
            return {"error": {"type": type(exc).__name__}}
        ''', {"EnvelopeShapeCheck"}),
    "app/plugin_registry.py": ('''
        """The plugin registry."""

        def update_execution_metrics(name, success, elapsed_ms):
            return None
        ''', {"RegistryMetricsCheck"}),
    # A module that may hold the plugins' state machine: it names every lifecycle state.
    "app/plugins/lifecycle.py": ('''
        """Plugin states."""
        SUCCESS = "SUCCESS"
        ERROR = "ERROR"
        ''', {"LifecycleCheck"}),
    "app/services/analysis_service.py": ('''
        """The analysis service."""


        class AnalysisService:
            def analyze(self, name, payload):
                return self._job_mgmt.submit_job(name, payload)
        ''', {"DelegationChainCheck", "ServiceErrorsCheck"}),
    "app/api/analyze.py": ('''
        """The analyze route."""

        def analyze(request, analysis_service):
            return analysis_service.analyze(request.plugin, request.payload)
        ''', {"ApiContractCheck"}),
    # Outside the chain, a call of the runner's method: a direct execution, and a way into the
    # chain below its top.
    "app/jobs.py": ('''
        """Jobs."""

        def work(plugin, payload):
            return plugin.run(payload)
        ''', {"DirectExecutionCheck", "DelegationChainCheck"}),
    # A caller of the sanctioned executor that is not allowed to call it (and names its module).
    "app/batch.py": ('''
        """Batches."""
        from app.sandbox import run_isolated


        def batch(job):
            return run_isolated(job)
        ''', {"SanctionedExecutorCheck", "DirectExecutionCheck"}),
}
PYPROJECT = """\
[tool.phase12.sanctioned_executors]
"app.sandbox:run_isolated" = ["app.services.tool_runner"]
"""


@pytest.fixture
def role_project(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    for name, (source, _) in ROLES.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(source).lstrip(), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    clear_caches()
    yield tmp_path
    clear_caches()


@pytest.fixture
def checks_run(monkeypatch):
    """path -> the names of the checks whose `run` was called on it."""
    seen: dict[str, set[str]] = {}
    for check in all_checks():
        check_class = type(check)

        def recording(self, ctx, original=check_class.run):
            seen.setdefault(Path(ctx.path).resolve().as_posix(), set()).add(type(self).__name__)
            return original(self, ctx)

        monkeypatch.setattr(check_class, "run", recording)
    return seen


def expected(root: Path) -> dict[str, set[str]]:
    return {(root / name).resolve().as_posix(): checks for name, (_, checks) in ROLES.items()
            if checks}


def test_flake8_runs_on_each_file_the_checks_of_its_role(role_project, checks_run):
    application = Application()
    application.run(["--select=GOV", "--jobs=1", "--quiet",
                     *(str(role_project / name) for name in ROLES)])
    assert checks_run == expected(role_project)


def test_pylint_runs_on_each_file_the_checks_of_its_role(role_project, checks_run):
    symbols = ",".join(message.symbol for message in messages())
    Run(["--load-plugins=flake8_phase12.pylint", "--disable=all", f"--enable={symbols}",
         "--persistent=n", "--score=n", *(str(role_project / name) for name in ROLES)],
        reporter=TextReporter(io.StringIO()), exit=False)
    assert checks_run == expected(role_project)
