"""Functional fixtures: Python files with the expected findings written beside the code.

A fixture is `tests/functional/<area>/<name>.py`. Its first line names the path it stands for,
because rules depend on the file's role (runner, service, route):

    # phase12-path: server/app/services/plugin_management_service.py

Each line that must produce findings ends with `# expect: GOV101` (several codes separated by
commas). A file without any `expect` comment is a clean lookalike: it must produce nothing.
An optional `<name>.toml` beside the fixture holds the `[tool.phase12]` table for it.

A project fixture, `tests/functional/projects/<name>/`, is a whole small project (its own
`pyproject.toml` and packages) for rules that need facts from other modules: every file in it
may carry `# expect:` comments, and a file without them must produce nothing.

The whole diagnostics (line, column, code and message text) are pinned too, in golden files
beside the fixtures: `<name>.txt` beside a fixture, `expected.txt` in a project fixture. A
message change is then a reviewed diff: `pytest tests/test_functional.py --update-golden`
rewrites them from what the engine reports.
"""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

FUNCTIONAL_ROOT = Path(__file__).resolve().parents[1] / "functional"
PATH_DIRECTIVE = re.compile(r"^#\s*phase12-path:\s*(?P<path>\S+)\s*$")
EXPECT_COMMENT = re.compile(r"#\s*expect:\s*(?P<codes>GOV\d{3}(?:\s*,\s*GOV\d{3})*)\s*$")


@dataclass(frozen=True)
class FunctionalCase:
    fixture: Path
    virtual_path: str
    table: dict[str, Any] = field(hash=False)
    expected: frozenset[tuple[int, str]]

    @property
    def id(self) -> str:
        return self.fixture.relative_to(FUNCTIONAL_ROOT).with_suffix("").as_posix()

    @property
    def source(self) -> str:
        return self.fixture.read_text(encoding="utf-8")


def load_case(fixture: Path) -> FunctionalCase:
    source = fixture.read_text(encoding="utf-8")
    lines = source.splitlines()
    directive = PATH_DIRECTIVE.match(lines[0]) if lines else None
    if directive is None:
        raise ValueError(f"{fixture}: the first line must be '# phase12-path: <path>'")
    expected = set()
    for number, line in enumerate(lines, start=1):
        match = EXPECT_COMMENT.search(line)
        if match:
            expected.update((number, code.strip()) for code in match["codes"].split(","))
    sidecar = fixture.with_suffix(".toml")
    table = tomllib.loads(sidecar.read_text(encoding="utf-8")) if sidecar.exists() else {}
    table = table.get("tool", {}).get("phase12", table)
    return FunctionalCase(fixture, directive["path"], table, frozenset(expected))


PROJECTS = "projects"


def all_cases(root: Path = FUNCTIONAL_ROOT) -> list[FunctionalCase]:
    return [load_case(path) for path in sorted(root.rglob("*.py"))
            if PROJECTS not in path.relative_to(root).parts[:1]]


@dataclass(frozen=True)
class ProjectCase:
    """A project fixture: its root and, per file (relative path), the expected findings."""

    root: Path
    expected: dict[str, frozenset[tuple[int, str]]] = field(hash=False)

    @property
    def id(self) -> str:
        return self.root.name


def expected_findings(source: str) -> frozenset[tuple[int, str]]:
    expected = set()
    for number, line in enumerate(source.splitlines(), start=1):
        match = EXPECT_COMMENT.search(line)
        if match:
            expected.update((number, code.strip()) for code in match["codes"].split(","))
    return frozenset(expected)


def all_projects(root: Path = FUNCTIONAL_ROOT / PROJECTS) -> list[ProjectCase]:
    return [ProjectCase(project, {path.relative_to(project).as_posix():
                                  expected_findings(path.read_text(encoding="utf-8"))
                                  for path in sorted(project.rglob("*.py"))})
            for project in sorted(root.iterdir()) if (project / "pyproject.toml").is_file()]


def project_engine_findings(case: ProjectCase) -> dict[str, set[tuple[int, str]]]:
    """The engine on every file of a project fixture, with the configuration it discovers."""
    found: dict[str, set[tuple[int, str]]] = {relative: set() for relative in case.expected}
    for relative, finding in project_diagnostics(case):
        found[relative].add((finding.line, finding.code))
    return found


def engine_findings(case: FunctionalCase) -> set[tuple[int, str]]:
    """Run the shared engine on a case as if the file lived at its virtual path."""
    return {(finding.line, finding.code) for finding in engine_diagnostics(case)}


def engine_diagnostics(case: FunctionalCase) -> list[Any]:
    """The engine's findings on a case (virtual path as above), in position order."""
    from flake8_phase12.config import config_from_mapping
    from flake8_phase12.lint_file import check_file

    root = Path("/phase12-functional-project")
    config = config_from_mapping(case.table, project_root=root)
    findings = check_file(ast.parse(case.source), str(root / case.virtual_path), config,
                          case.source)
    return sorted(findings, key=lambda f: (f.line, f.col, f.code, f.message))


def project_diagnostics(case: ProjectCase) -> list[tuple[str, Any]]:
    """(relative path, finding) for every finding in a project fixture, in position order."""
    from flake8_phase12.config import config_for_file
    from flake8_phase12.lint_file import check_file

    found = []
    for relative in case.expected:
        path = case.root / relative
        source = path.read_text(encoding="utf-8")
        found += [(relative, finding) for finding in
                  check_file(ast.parse(source), str(path), config_for_file(str(path)), source)]
    return sorted(found, key=lambda pair: (pair[0], pair[1].line, pair[1].col, pair[1].code,
                                           pair[1].message))


def golden_text(lines: list[str]) -> str:
    return "".join(line + "\n" for line in lines)


def render_case(case: FunctionalCase) -> str:
    """The golden output of a fixture: `line:column: message`, columns 1-based as flake8
    prints them."""
    return golden_text([f"{f.line}:{f.col + 1}: {f.message}" for f in engine_diagnostics(case)])


def render_project(case: ProjectCase) -> str:
    return golden_text([f"{path}:{f.line}:{f.col + 1}: {f.message}"
                        for path, f in project_diagnostics(case)])


def golden_path(case: FunctionalCase | ProjectCase) -> Path:
    if isinstance(case, ProjectCase):
        return case.root / "expected.txt"
    return case.fixture.with_suffix(".txt")


def materialize(case: FunctionalCase, directory: Path) -> Path:
    """Write the case as a real project: pyproject.toml plus the file at its virtual path."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "pyproject.toml").write_text(_pyproject(case.table), encoding="utf-8")
    target = directory / case.virtual_path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(case.source, encoding="utf-8")
    return target


def _pyproject(table: dict[str, Any]) -> str:
    import tomlkit

    document = tomlkit.document()
    tool = tomlkit.table()
    tool["phase12"] = table or tomlkit.table()
    document["tool"] = tool
    text = tomlkit.dumps(document)
    # An empty table must still be written, so discovery stops at this project.
    return text if "[tool.phase12]" in text else text + "\n[tool.phase12]\n"
