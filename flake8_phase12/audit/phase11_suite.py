"""The configured test command (the Phase 11 suite), run in a subprocess in the project root."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from flake8_phase12.audit.model import AuditFinding
from flake8_phase12.audit.rules import TEST_COMMAND_FAILED

# Set for the command's process, so a pytest suite that enables the phase12 plugin does not run
# the audit (and this command) again inside itself.
RUNNING_ENVIRONMENT_VARIABLE = "PHASE12_AUDIT_RUNNING"
EVIDENCE_LINES = 15
DEFAULT_TIMEOUT = 600.0

__test__ = False  # pytest: this module is not a test module despite its name


@dataclass(frozen=True)
class CommandOutcome:
    """Whether the project's test command ran, the finding when it failed, and why it did not
    run: it could not start here (`unavailable`), or the configuration is broken (`error`)."""
    ran: bool
    finding: AuditFinding | None = None
    error: str = ""
    unavailable: str = ""


def run_test_command(command: str, project_root: Path, timeout: float = DEFAULT_TIMEOUT) -> CommandOutcome:
    return start_test_command(command, project_root, timeout).wait()


def start_test_command(command: str, project_root: Path,
                       timeout: float = DEFAULT_TIMEOUT) -> RunningCommand:
    """Start the command in the background, so the audit's own checks run meanwhile.

    The output goes to a temporary file, not a pipe: a chatty suite can never block on a full
    pipe while the audit is busy elsewhere.
    """
    try:
        arguments = shlex.split(command)
    except ValueError as exc:
        return RunningCommand(command, error=f"[tool.phase12.tests] command {command!r}: {exc}")
    if not arguments:
        return RunningCommand(command, error="[tool.phase12.tests] command is blank")
    environment = dict(os.environ, **{RUNNING_ENVIRONMENT_VARIABLE: "1"})
    # Both outlive this function: `RunningCommand` waits for the process and reads the output.
    output = tempfile.TemporaryFile()  # pylint: disable=consider-using-with
    try:
        process = subprocess.Popen(  # pylint: disable=consider-using-with
            arguments, cwd=project_root, env=environment,
            stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT)
    except FileNotFoundError:
        output.close()
        return RunningCommand(command, unavailable=f"program '{arguments[0]}' not found (is it "
                                                   f"installed in this environment?)")
    except OSError as exc:
        output.close()
        return RunningCommand(command, unavailable=f"cannot start '{arguments[0]}' "
                                                   f"({exc.strerror or exc})")
    return RunningCommand(command, process, output, time.monotonic() + timeout, timeout,
                          module=_module_run(arguments))


def _module_run(arguments: list[str]) -> str:
    """The module of `python -m MODULE ...`, '' when the command runs no module."""
    for flag, value in zip(arguments, arguments[1:]):
        if flag == "-m":
            return value
    return ""


def _missing_module(module: str, status: int, output: str) -> str:
    """Why `-m module` could not start, when that is what its output says (Python's `runpy`:
    "<python>: No module named pytest", status 1), else ''."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    if not module or status != 1 or len(lines) != 1:
        return ""
    if ": No module named " in lines[0] or ": Error while finding module specification" in lines[0]:
        return f"module '{module}' is not installed in this environment ({lines[0].split(': ', 1)[1]})"
    return ""


@dataclass
class RunningCommand:
    """The project's test command, started in the background while the audit runs its checks."""
    command: str
    process: subprocess.Popen | None = None
    output: IO[bytes] | None = None
    deadline: float = 0.0
    timeout: float = DEFAULT_TIMEOUT
    # The module of `python -m MODULE`, whose absence is "cannot start", not a failing suite.
    module: str = ""
    error: str = ""
    unavailable: str = ""

    def wait(self) -> CommandOutcome:
        if self.process is None or self.output is None:
            return CommandOutcome(False, error=self.error, unavailable=self.unavailable)
        try:
            status = self.process.wait(timeout=max(0.0, self.deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            outcome = f"did not finish within {self.timeout:g} s"
            return CommandOutcome(True, _finding(self.command, outcome, self._text()))
        if status == 0:
            self._text()
            return CommandOutcome(True)
        output = self._text()
        missing = _missing_module(self.module, status, output)
        if missing:
            return CommandOutcome(False, unavailable=missing)
        return CommandOutcome(True, _finding(self.command, f"exited with status {status}", output))

    def _text(self) -> str:
        assert self.output is not None
        try:
            self.output.seek(0)
            return self.output.read().decode("utf-8", errors="replace")
        finally:
            self.output.close()


def _finding(command: str, outcome: str, output: str) -> AuditFinding:
    tail = [line.rstrip() for line in output.splitlines() if line.strip()][-EVIDENCE_LINES:]
    return AuditFinding(code=TEST_COMMAND_FAILED.code,
                        message=TEST_COMMAND_FAILED.format_message(command=command, outcome=outcome),
                        anchor="tests.command", text=command, evidence=tuple(tail))
