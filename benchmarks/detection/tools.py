"""The product run the way users run it, each tool in its own process, its output parsed.

- flake8 (the editor path): `flake8 --select=GOV <files>` from the project root;
- pylint with the plugin (CI): `pylint --load-plugins=flake8_phase12.pylint --enable=phase12`;
- lint-imports with the project's contracts (CI);
- `phase12 audit --format json` (everything, and the verdict).

Each tool gives a list of `Observed` findings: the GOV code, its checklist section, the file
(relative to the project, '' for project-level findings) and the message. A tool that fails to
run gives an error text instead; an error is never counted as a detection.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from flake8_phase12.rule_index import all_rules

TOOLS = ("flake8", "pylint", "lint-imports", "audit")
FILE_TOOLS = ("flake8", "pylint")
FLAKE8_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>[A-Z]+\d+) (?P<text>.*)$")
TIMEOUT = 600


@dataclass(frozen=True)
class Observed:
    code: str
    section: int
    path: str
    line: int
    message: str

    @property
    def key(self) -> tuple[str, str, str]:
        """What a finding is, without where it sits: an edit elsewhere shifts lines."""
        return self.code, self.path, _without_positions(self.message)


@dataclass
class ToolRun:
    tool: str
    findings: list[Observed] = field(default_factory=list)
    error: str = ""
    complete: bool | None = None  # the audit's verdict
    # The audit's items that did not pass, with their reason: why a verdict is not "complete".
    items: list[str] = field(default_factory=list)


def _without_positions(message: str) -> str:
    return re.sub(r"(\bl\.|\blines? |:)\d+(:\d+)?", r"\1N", message)


def _rule_sections() -> dict[str, int]:
    sections = {rule.code: rule.section for rule in all_rules()}
    sections.update({rule.symbol: rule.section for rule in all_rules()})
    return sections


SECTIONS = _rule_sections()
SYMBOL_CODES = {rule.symbol: rule.code for rule in all_rules()}
# Findings about the project as a whole (contracts, compatibility, required tests, test runs).
PROJECT_SCOPED_CODES = frozenset(rule.code for rule in all_rules() if rule.scope == "project")


def _bin(name: str) -> str:
    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else name


def _run(command: list[str], project: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True,
                          check=False, timeout=TIMEOUT)


def _relative(path: str, project: Path) -> str:
    candidate = Path(path)
    if candidate.is_absolute():
        try:
            return candidate.resolve().relative_to(project.resolve()).as_posix()
        except ValueError:
            return candidate.as_posix()
    return candidate.as_posix().removeprefix("./")


def run_flake8(project: Path, env: dict[str, str], files: list[str] | None = None) -> ToolRun:
    done = _run([sys.executable, "-m", "flake8", "--select=GOV", *(files or ["."])], project, env)
    run = ToolRun("flake8")
    if done.returncode not in (0, 1) or (done.returncode == 1 and not done.stdout.strip()):
        run.error = _last_line(done.stderr or done.stdout) or f"exit {done.returncode}"
        return run
    for line in done.stdout.splitlines():
        match = FLAKE8_LINE.match(line)
        if match:
            code = match["code"]
            run.findings.append(Observed(code, SECTIONS.get(code, 0), _relative(match["path"], project),
                                         int(match["line"]), match["text"]))
    return run


def run_pylint(project: Path, env: dict[str, str], targets: list[str]) -> ToolRun:
    command = [sys.executable, "-m", "pylint", "--load-plugins=flake8_phase12.pylint",
               "--disable=all", "--enable=phase12", "--output-format=json", "--score=n",
               "--persistent=n", *targets]
    done = _run(command, project, env)
    run = ToolRun("pylint")
    try:
        messages = json.loads(done.stdout or "[]")
    except json.JSONDecodeError:
        run.error = _last_line(done.stderr or done.stdout) or f"exit {done.returncode}"
        return run
    if done.returncode & 1 or done.returncode & 32:  # fatal message or usage error
        run.error = _last_line(done.stderr) or f"pylint exit {done.returncode}"
    for message in messages:
        code = SYMBOL_CODES.get(message.get("symbol", ""), message.get("message-id", ""))
        run.findings.append(Observed(code, SECTIONS.get(code, 0), _relative(message["path"], project),
                                     int(message.get("line") or 0), message.get("message", "")))
    return run


def run_lint_imports(project: Path, env: dict[str, str], sections: dict[str, int]) -> ToolRun:
    """Broken contracts' import routes; `sections` maps a contract name to its section."""
    done = _run([_bin("lint-imports"), "--no-cache"], project, env)
    run = ToolRun("lint-imports")
    if done.returncode not in (0, 1) or "Broken contracts" not in done.stdout and done.returncode:
        run.error = _last_line(done.stderr or done.stdout) or f"exit {done.returncode}"
        return run
    contract = ""
    lines = done.stdout.splitlines()
    after = False
    for index, line in enumerate(lines):
        if line.strip() == "Broken contracts":
            after = True
            continue
        if not after:
            continue
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if line.strip() and following.startswith("---") and not line.startswith("---"):
            contract = line.strip()
        elif line.startswith("- ") and contract:
            route = re.sub(r"\s*\(l\.[\d, ]+\)", "", line[2:].strip())
            section = sections.get(contract, 6)
            run.findings.append(Observed("lint-imports", section, "", 0, f"{contract}: {route}"))
    return run


def run_audit(project: Path, env: dict[str, str]) -> ToolRun:
    done = _run([sys.executable, "-m", "flake8_phase12", "audit", "--format", "json", "."], project, env)
    run = ToolRun("audit")
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        run.error = _last_line(done.stderr or done.stdout) or f"exit {done.returncode}"
        return run
    run.complete = bool(report.get("complete"))
    errors = [str(error.get("message", error)) if isinstance(error, dict) else str(error)
              for error in report.get("errors") or []]
    if errors:
        run.error = "; ".join(errors)[:300]
    for section in report.get("sections") or []:
        for item in section.get("items") or []:
            if item.get("status") != "passed":
                reason = item.get("reason") or f"{len(item.get('findings') or [])} finding(s)"
                title = f"§{section.get('number')} {item.get('title')}"
                run.items.append(f"{title}: {item.get('status')} ({reason})")
    for finding in report.get("findings") or []:
        code = finding.get("code", "")
        run.findings.append(Observed(code, int(finding.get("section") or SECTIONS.get(code, 0)),
                                     finding.get("path") or "", int(finding.get("line") or 0),
                                     finding.get("message", "")))
    return run


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""
