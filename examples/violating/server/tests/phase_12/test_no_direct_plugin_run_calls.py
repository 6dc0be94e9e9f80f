"""Checklist §1 and §6: nothing but the ToolRunner executes a plugin.

Three checks: the checklist's own grep audit, a syntax-tree scan that also catches the forms the
grep misses (aliases, getattr, bound methods handed to executors), and a runtime check that
every plugin execution through the service chain comes from `ToolRunner.run`.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

from server.app.services.analysis_service import AnalysisService
from server.app.services.job_management_service import JobManagementService
from server.app.services.plugin_management_service import PluginManagementService
from server.app.services.tool_runner import ToolRunner

APP = Path(__file__).resolve().parents[2] / "app"
RUNNER_FILE = "tool_runner.py"
SOURCES = sorted(path for path in APP.rglob("*.py") if path.name != RUNNER_FILE)
PLUGIN_LIKE = re.compile(r"plugin|registry", re.IGNORECASE)


def test_there_is_code_to_scan():
    names = {path.name for path in SOURCES}
    assert {"plugin_management_service.py", "job_management_service.py", "analyze.py"} <= names
    assert (APP / "services" / RUNNER_FILE).is_file()


def test_checklist_grep_audit_finds_nothing():
    """`grep -R "plugin.run(" server/app | grep -v tool_runner.py` must print nothing."""
    pattern = re.compile(r"plugin.run\(")
    hits = [f"{path.relative_to(APP)}:{number}: {line.strip()}"
            for path in SOURCES
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if pattern.search(line)]
    assert hits == []


def direct_executions(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "run" \
                and PLUGIN_LIKE.search(ast.unparse(node.value)):
            found.append(f"{path.name}:{node.lineno}: {ast.unparse(node)}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id == "getattr" and len(node.args) >= 2 \
                and isinstance(node.args[1], ast.Constant) and node.args[1].value == "run":
            found.append(f"{path.name}:{node.lineno}: {ast.unparse(node)}")
    return found


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: str(path.relative_to(APP)))
def test_no_plugin_execution_outside_the_runner(path):
    assert direct_executions(path) == []


def test_plugin_management_only_calls_the_runner():
    source = (APP / "services" / "plugin_management_service.py").read_text(encoding="utf-8")
    calls = {ast.unparse(node.func) for node in ast.walk(ast.parse(source))
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
             and node.func.attr == "run"}
    assert calls == {"self._runner.run"}


@pytest.mark.parametrize("name", ["metadata", "motion", "ocr"])
def test_every_execution_comes_from_the_runner(registry, valid_payload, monkeypatch, name):
    plugin = registry.get(name)
    original = plugin.run
    callers = []

    def watched(payload):
        callers.append(sys._getframe(1).f_code)
        return original(payload)

    monkeypatch.setattr(plugin, "run", watched)
    service = AnalysisService(JobManagementService(PluginManagementService(registry)))
    result = service.analyze(name, valid_payload)
    assert "error" not in result
    assert callers == [ToolRunner.run.__code__]
