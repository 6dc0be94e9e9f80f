"""Every front end counts the same lines, whatever the line endings (`\\n`, `\\r\\n`, a lone `\\r`)
and whatever else a line holds that `str.splitlines` would break at (a form feed): flake8 (from
the file and from stdin), pylint and the audit report a finding on the same line, and a baseline
written by the audit accepts exactly what flake8 and pylint then see."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ENDINGS = {"lf": "\n", "crlf": "\r\n", "cr": "\r"}
SERVICE = ("class PluginManagementService:\n"
           '    """Runs plugins.\n'
           "\x0c\n"
           "    A page break above: Python reads it as whitespace, not as a line break.\n"
           '    """\n'
           "\n"
           "    def execute_plugin(self, plugin, payload):\n"
           "        return plugin.run(payload)\n")
FINDING = (8, "GOV101")
PYLINT = [sys.executable, "-m", "pylint", "--load-plugins=flake8_phase12.pylint", "--disable=all",
          "--enable=direct-plugin-execution", "--persistent=n", "--score=n",
          "--msg-template={path}:{line}:{msg_id}"]
FLAKE8_LINE = re.compile(r"^\.?/?(?P<path>[^:]+):(?P<line>\d+):\d+: (?P<code>GOV\d+) ")


def module(name: str) -> str:
    return f"server/app/services/{name}/plugin_management_service.py"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[tool.phase12]\n", encoding="utf-8")
    for name, ending in ENDINGS.items():
        target = tmp_path / module(name)
        target.parent.mkdir(parents=True)
        target.write_bytes(SERVICE.replace("\n", ending).encode())
    return tmp_path


def run(command: list[str], cwd: Path, data: bytes | None = None) -> str:
    completed = subprocess.run(command, cwd=cwd, input=data, capture_output=True, check=False,
                               timeout=600)
    assert b"Traceback" not in completed.stderr, completed.stderr.decode()
    return completed.stdout.decode()


def flake8_findings(project: Path, *args: str) -> dict[str, set[tuple[int, str]]]:
    found: dict[str, set[tuple[int, str]]] = {}
    for line in run([sys.executable, "-m", "flake8", "--select=GOV", *args, "server"], project
                    ).splitlines():
        match = FLAKE8_LINE.match(line)
        if match:
            found.setdefault(match["path"], set()).add((int(match["line"]), match["code"]))
    return found


def test_every_front_end_reports_the_finding_on_the_same_line(project):
    expected = {module(name): {FINDING} for name in ENDINGS}
    assert flake8_findings(project) == expected
    for name in ENDINGS:
        path = module(name)
        piped = run([sys.executable, "-m", "flake8", "--select=GOV", f"--stdin-display-name={path}",
                     "-"], project, (project / path).read_bytes())
        assert [(int(m["line"]), m["code"]) for m in map(FLAKE8_LINE.match, piped.splitlines())
                if m] == [FINDING], name
    pylint = {}
    for line in run([*PYLINT, "server"], project).splitlines():
        if line.count(":") == 2:
            path, number, msgid = line.split(":")
            pylint[path] = {(int(number), msgid)}
    assert pylint == {module(name): {(FINDING[0], "W7711")} for name in ENDINGS}
    report = json.loads(run([sys.executable, "-m", "flake8_phase12", "audit", "--no-test-command",
                             "--format", "json", "."], project))
    audited: dict[str, set[tuple[int, str]]] = {}
    for finding in report["findings"]:
        if finding["code"] == "GOV101":
            audited.setdefault(finding["path"], set()).add((finding["line"], finding["code"]))
    assert audited == expected


def test_a_baseline_of_the_audit_accepts_what_flake8_and_pylint_see(project):
    written = subprocess.run([sys.executable, "-m", "flake8_phase12", "baseline", "."],
                             cwd=project, capture_output=True, text=True, check=False)
    assert written.returncode == 0, written.stderr
    texts = {entry["text"] for entry in json.loads(
        (project / ".phase12-baseline.json").read_text())["entries"] if entry["code"] == "GOV101"}
    assert texts == {"return plugin.run(payload)"}
    pyproject = project / "pyproject.toml"
    pyproject.write_text('[tool.phase12]\nbaseline = ".phase12-baseline.json"\n', encoding="utf-8")
    assert flake8_findings(project) == {}
    assert "W7711" not in run([*PYLINT, "server"], project)
    report = json.loads(run([sys.executable, "-m", "flake8_phase12", "audit", "--no-test-command",
                             "--format", "json", "."], project))
    assert [f for f in report["findings"] if f["code"] == "GOV101"] == []
    assert report["baseline"]["stale"] == []
