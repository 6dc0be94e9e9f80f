"""One suppression story: a `# noqa` (flake8's syntax) or `# pylint: disable` (pylint's) on a
finding's line suppresses it in the audit and in `pytest --phase12` as in flake8 and pylint, and
the audit says how many findings each rule had suppressed."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from conftest import run_phase12, write_project

from flake8_phase12.audit import AuditOptions, run_audit

HELPERS = '''\
def bare(plugin):
    return plugin.run(1)  # noqa
def by_code(plugin):
    return plugin.run(2)  # noqa: GOV101
def by_prefix(plugin):
    return plugin.run(3)  # NOQA:GOV1
def among_others(plugin):
    return plugin.run(4)  # noqa: E501,GOV101
def another_code(plugin):
    return plugin.run(5)  # noqa: E501
def by_symbol(plugin):
    return plugin.run(6)  # pylint: disable=direct-plugin-execution
def by_message_id(plugin):
    return plugin.run(7)  # pylint: disable=W7711
def next_line(plugin):
    # pylint: disable-next=direct-plugin-execution
    return plugin.run(8)
def by_both(plugin):
    return plugin.run(9)  # pylint: disable=direct-plugin-execution  # noqa: GOV101
def other_symbol(plugin):
    return plugin.run(10)  # pylint: disable=unused-import
def statement(plugin):
    return plugin.run(11) + len("""
        a string over three lines: flake8 reads the comment after it for each of them
    """)  # noqa: GOV101
def plain(plugin):
    return plugin.run(12)
'''
REPORTED = {10, 21, 27}  # another code, another symbol, no comment
LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):\d+:? (?P<code>\S+)")


def project(root: Path) -> Path:
    # The runner module is there, so that section 1 can pass (it is about the runner's role).
    return write_project(root, {"pyproject.toml": "[tool.phase12]\n", "app/__init__.py": "",
                                "app/tool_runner.py": "", "app/helpers.py": HELPERS})


def tool_lines(command: list[str], cwd: Path) -> set[int]:
    completed = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    assert "Traceback" not in completed.stderr, completed.stderr
    return {int(match["line"]) for match in map(LINE.match, completed.stdout.splitlines())
            if match and match["code"] in ("GOV101", "W7711")}


def test_the_audit_reports_what_neither_flake8_nor_pylint_suppresses(tmp_path):
    root = project(tmp_path)
    flake8 = tool_lines([sys.executable, "-m", "flake8", "--select=GOV", "app"], root)
    pylint = tool_lines([sys.executable, "-m", "pylint", "--load-plugins=flake8_phase12.pylint",
                         "--disable=all", "--enable=direct-plugin-execution", "--persistent=n",
                         "--score=n", "--msg-template={path}:{line}:{column}: {msg_id}", "app"],
                        root)
    assert flake8 == REPORTED | {12, 14, 17}  # pylint's comments are not flake8's
    assert pylint == REPORTED | {2, 4, 6, 8, 23}  # nor flake8's pylint's
    result = run_audit(root, options=AuditOptions(run_test_command=False, jobs=1))
    audited = {f.line for f in result.findings if f.code == "GOV101"}
    assert audited == flake8 & pylint == REPORTED
    assert result.suppressed == (("GOV101", 9),)


def test_the_report_says_how_many_findings_each_rule_had_suppressed(tmp_path):
    root = project(tmp_path)
    completed = run_phase12("audit", "--no-test-command", ".", cwd=root)
    assert "Suppressed in the code (# noqa, # pylint: disable): 9 findings not shown: GOV101 ×9" \
        in completed.stdout.splitlines()
    json_report = run_phase12("audit", "--no-test-command", "--format", "json", ".", cwd=root)
    assert '"suppressed": {\n    "GOV101": 9\n  }' in json_report.stdout


def test_pytest_phase12_honours_the_same_comments(tmp_path):
    root = project(tmp_path)
    helpers = root / "app" / "helpers.py"
    helpers.write_text(HELPERS.replace("plugin.run(5)  # noqa: E501", "plugin.run(5)  # noqa")
                       .replace("disable=unused-import", "disable=direct-plugin-execution")
                       .replace("plugin.run(12)", "plugin.run(12)  # noqa: GOV101"))
    completed = subprocess.run([sys.executable, "-m", "pytest", "--phase12", "-p", "no:cacheprovider",
                                "-o", "addopts=", "-rA", "app"], cwd=root, capture_output=True,
                               text=True, check=False)
    assert "PASSED phase12::section-1-execution-path-governance" in completed.stdout, completed.stdout
    assert "  suppressed in the code (# noqa, # pylint: disable): GOV101 x12" in completed.stdout
    helpers.write_text(HELPERS)
    completed = subprocess.run([sys.executable, "-m", "pytest", "--phase12", "-p", "no:cacheprovider",
                                "-o", "addopts=", "-rA", "app"], cwd=root, capture_output=True,
                               text=True, check=False)
    assert "FAILED phase12::section-1-execution-path-governance" in completed.stdout
    evidence = re.findall(r"app/helpers.py:(\d+):\d+: GOV101", completed.stdout)
    assert {int(line) for line in evidence} == REPORTED
