"""The tests the checklist names: present or missing under `[tool.phase12.tests] root`.

A required name is a file name (`test_input_validation.py`, found at any depth) or a path
(`phase_12/test_input_validation.py`, matched as a path suffix). Test directories are searched
even though the file rules exclude them; hidden directories and virtual environments are not.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from flake8_phase12.audit.checklist import item_for_test
from flake8_phase12.audit.files import unreadable_directory
from flake8_phase12.audit.model import AuditFinding
from flake8_phase12.audit.rules import missing_test_rule
from flake8_phase12.config.model import Config

_SKIPPED = frozenset({"__pycache__", "node_modules", "site-packages", "venv"})


@dataclass(frozen=True)
class RequiredTest:
    """A test file the checklist requires, and where it was found ('' when missing)."""
    name: str
    item: str
    section: int
    found: str  # relative path of the file found, '' when missing


def check_required_tests(project_root: Path, config: Config
                         ) -> tuple[list[RequiredTest], list[AuditFinding], list[str]]:
    """The required tests found or missing, their findings, and the directories that could not
    be searched (a test there cannot be said to be missing)."""
    root = (project_root / config.tests.root).resolve()
    unreadable: list[str] = []
    present = _python_files(root, unreadable)
    results: list[RequiredTest] = []
    findings: list[AuditFinding] = []
    shown_root = _shown(root, project_root)
    for configured in config.tests.required:
        item, name = item_for_test(configured)
        match = _find(name, present)
        results.append(RequiredTest(name, item.title, item.section, match))
        if match or unreadable:
            continue  # found, or perhaps in a directory that could not be searched
        rule = missing_test_rule(item.section)
        findings.append(AuditFinding(
            code=rule.code, message=rule.format_message(name=name, root=shown_root), path="",
            line=0, anchor="tests", text=name, item=item.title))
    return results, findings, unreadable


def _python_files(root: Path, unreadable: list[str]) -> list[str]:
    found: list[str] = []
    if not root.is_dir():
        return found

    def cannot_list(exc: OSError) -> None:
        unreadable.append(unreadable_directory(Path(exc.filename or root), exc))

    for current, directories, files in os.walk(root, onerror=cannot_list):
        directories[:] = sorted(d for d in directories
                                if not d.startswith(".") and d not in _SKIPPED)
        relative = Path(current).relative_to(root)
        found.extend((relative / name).as_posix() for name in sorted(files) if name.endswith(".py"))
    return found


def _find(name: str, present: list[str]) -> str:
    wanted = name.replace("\\", "/").strip("/")
    for path in present:
        if path == wanted or path.endswith("/" + wanted):
            return path
    return ""


def _shown(root: Path, project_root: Path) -> str:
    try:
        relative = root.relative_to(project_root.resolve()).as_posix()
    except ValueError:
        return str(root)
    return "the project root" if relative == "." else f"`{relative}/`"
