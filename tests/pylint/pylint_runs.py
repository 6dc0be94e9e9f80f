"""Real pylint and flake8 runs, as users invoke them, reduced to comparable findings.

pylint runs with `--disable=all --enable=<our symbols>` (nothing else is of interest here),
without persistence or score, with JSON output; flake8 with `--select=GOV`. Findings are keyed
by absolute path so the two tools can be compared file by file.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from flake8_phase12.pylint.messages import messages

PLUGIN = "flake8_phase12.pylint"
SYMBOLS = tuple(message.symbol for message in messages())
CODE_BY_SYMBOL = {message.symbol: message.rule.code for message in messages() if message.rule}
FLAKE8_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>GOV\d{3}) ")


@dataclass(frozen=True)
class PylintMessage:
    path: str
    line: int
    column: int
    symbol: str
    msgid: str
    confidence: str
    text: str

    @property
    def code(self) -> str:
        """The GOV code of the rule (the config error has none: its symbol stands in)."""
        return CODE_BY_SYMBOL.get(self.symbol, self.symbol)


@dataclass
class PylintRun:
    returncode: int
    stdout: str
    stderr: str
    messages: list[PylintMessage] = field(default_factory=list)

    def findings(self) -> dict[str, set[tuple[int, str]]]:
        """Absolute path -> {(line, GOV code)}."""
        found: dict[str, set[tuple[int, str]]] = {}
        for message in self.messages:
            found.setdefault(message.path, set()).add((message.line, message.code))
        return found


def run_pylint(args: list[str], cwd: Path, stdin: str | None = None,
               enable: tuple[str, ...] = SYMBOLS) -> PylintRun:
    command = [sys.executable, "-m", "pylint", f"--load-plugins={PLUGIN}", "--disable=all",
               f"--enable={','.join(enable)}", "--persistent=n", "--score=n",
               "--output-format=json2", *args]
    result = subprocess.run(command, cwd=cwd, input=stdin, capture_output=True, text=True,
                            check=False)
    run = PylintRun(result.returncode, result.stdout, result.stderr)
    report = _json_report(result.stdout)
    if report is not None:
        for item in report["messages"]:
            path = Path(item["absolutePath"])
            run.messages.append(PylintMessage(
                path=str((cwd / path).resolve() if not path.is_absolute() else path.resolve()),
                line=item["line"], column=item["column"], symbol=item["symbol"],
                msgid=item["messageId"], confidence=item["confidence"], text=item["message"],
            ))
    return run


def _json_report(stdout: str) -> dict | None:
    # pylint prints its own configuration problems ("Failed to load ...") before the report.
    start = 0 if stdout.startswith("{") else stdout.find("\n{") + 1
    return json.loads(stdout[start:]) if start or stdout.startswith("{") else None


def run_flake8(args: list[str], cwd: Path) -> dict[str, set[tuple[int, str]]]:
    """flake8's GOV findings: absolute path -> {(line, code)}."""
    result = subprocess.run([sys.executable, "-m", "flake8", "--select=GOV", *args], cwd=cwd,
                            capture_output=True, text=True, check=False)
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    found: dict[str, set[tuple[int, str]]] = {}
    for line in result.stdout.splitlines():
        match = FLAKE8_LINE.match(line)
        if match:
            path = Path(match["path"])
            key = str((cwd / path).resolve() if not path.is_absolute() else path.resolve())
            found.setdefault(key, set()).add((int(match["line"]), match["code"]))
    return found


def assert_clean_run(run: PylintRun) -> None:
    """pylint finished without a crash: no traceback, no astroid-error, no usage error."""
    assert "Traceback" not in run.stderr, run.stderr
    assert "astroid-error" not in run.stdout, run.stdout
    assert run.returncode < 32, run.stderr  # 32 is pylint's usage error
    assert _json_report(run.stdout) is not None, run.stdout + run.stderr
