"""The import contracts in the audit: checked on grimp's graph of the project without importing
any of it, without the files the configuration excludes or nothing can parse, and with contract
types the project defines itself working as they do in `lint-imports`."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from conftest import run_phase12, write_project

from flake8_phase12.audit import AuditOptions, run_audit

FAST = AuditOptions(run_test_command=False, jobs=1)
CONTRACT = """
    [tool.importlinter]
    root_packages = ["{root}"]

    [[tool.importlinter.contracts]]
    id = "no-lower-to-upper"
    name = "the services never import the API"
    type = "forbidden"
    source_modules = ["{root}.services"]
    forbidden_modules = ["{root}.api"]
"""
PROJECT = {
    "app/__init__.py": "",
    "app/api/__init__.py": "",
    "app/api/routes.py": "from app.services import jobs\n",
    "app/services/__init__.py": "",
    "app/services/jobs.py": "def run_job(payload):\n    return payload\n",
}
BROKEN = "def broken(:\n    pass\n"


def project(root: Path, table: str = "", files: dict[str, str] | None = None,
            package: str = "app") -> Path:
    write_project(root, {"pyproject.toml": f"[tool.phase12]\n{table}\n"
                                           + CONTRACT.format(root=package),
                         **PROJECT, **(files or {})})
    return root


def audit_json(root: Path, *args: str) -> tuple[int, dict]:
    completed = run_phase12("audit", "--no-test-command", "--format", "json", *args, ".", cwd=root)
    assert "Traceback" not in completed.stderr, completed.stderr
    return completed.returncode, json.loads(completed.stdout)


def contract_statuses(report: dict) -> dict[str, str]:
    return {contract["id"]: contract["status"] for contract in report["contracts"]}


def test_a_syntax_error_is_gov001_with_exit_1_and_every_check_still_runs(tmp_path):
    project(tmp_path / "phase11")  # the Phase 11 tree: the same code, without the broken file
    root = project(tmp_path / "project", table='[tool.phase12.compat]\nagainst = "../phase11"',
                   files={"app/services/broken.py": BROKEN})
    status, report = audit_json(root)
    assert status == 1 and report["errors"] == [] and report["verified"] is True
    assert [(f["path"], f["code"]) for f in report["problems"]] == [
        ("app/services/broken.py", "GOV001")]
    assert contract_statuses(report) == {"no-lower-to-upper": "kept"}
    section_8 = report["sections"][7]["items"][0]
    assert section_8["title"] == "No Phase 11 code modified in a breaking way"
    assert section_8["status"] == "passed"


def test_an_excluded_file_is_left_out_of_every_check_the_import_graph_included(tmp_path):
    upward = "from app.api import routes\n"  # against the contract, in a file the user excludes
    files = {"app/services/broken.py": BROKEN, "app/services/legacy.py": upward}
    project(tmp_path / "phase11")
    root = project(tmp_path / "project", files=files, table=(
        'extend-exclude = ["app/services/broken.py", "legacy.py"]\n'
        '[tool.phase12.compat]\nagainst = "../phase11"'))
    status, report = audit_json(root)
    assert report["errors"] == [] and report["problems"] == []
    assert contract_statuses(report) == {"no-lower-to-upper": "kept"}
    # The control: not excluded, the upward import breaks the contract.
    (root / "pyproject.toml").write_text((root / "pyproject.toml").read_text().replace(
        ', "legacy.py"', ""))
    status, report = audit_json(root)
    assert contract_statuses(report) == {"no-lower-to-upper": "broken"}
    assert status == 1 and report["errors"] == []


def test_the_default_test_exclusion_keeps_the_tests_in_the_graph_as_lint_imports_sees_them(tmp_path):
    root = project(tmp_path, files={"app/services/tests/__init__.py": "",
                                    "app/services/tests/test_jobs.py": "from app.api import routes\n"})
    _, report = audit_json(root)
    assert contract_statuses(report) == {"no-lower-to-upper": "broken"}
    [finding] = report["contracts"][0]["findings"]
    assert finding["path"] == "app/services/tests/test_jobs.py"


def test_a_broken_file_outside_the_audited_path_is_gov001_and_the_contracts_still_run(tmp_path):
    root = project(tmp_path, files={"app/api/broken.py": BROKEN})
    result = run_audit(root / "app" / "services", options=FAST)
    assert not result.errors
    assert [(f.path, f.code) for f in result.problems] == [("app/api/broken.py", "GOV001")]
    assert "invalid syntax (line 1)" in result.problems[0].message
    assert [c.status for c in result.contracts] == ["kept"]


def test_section_8_says_what_failed_when_the_comparison_could_not_run(tmp_path):
    root = project(tmp_path, table='[tool.phase12.compat]\nagainst = "../nowhere"')
    result = run_audit(root, options=FAST)
    [error] = result.errors
    item = result.section(8).items[0]
    assert item.status == "unchecked"
    assert item.reason == f"not verified: the comparison with Phase 11 could not run: {error}"
    assert "'../nowhere' is not a directory or a snapshot file" in error


MARKER = "import pathlib; pathlib.Path({path!r}).joinpath(__name__).write_text('imported')\n"


def marked(files: dict[str, str], markers: Path) -> dict[str, str]:
    return {name: (MARKER.format(path=str(markers)) + text if name.endswith(".py") else text)
            for name, text in files.items()}


def test_a_dotted_root_package_is_found_without_importing_its_parents(tmp_path):
    markers = tmp_path / "markers"
    markers.mkdir()
    # `server` is a namespace package, so `server.app` may be a root package (as for grimp).
    files = {f"server/{name}": text for name, text in PROJECT.items()}
    files = {name.replace("from app.", "from server.app."): text.replace("from app.", "from server.app.")
             for name, text in files.items()}
    root = project(tmp_path / "project", files=marked(files, markers), package="server.app")
    (root / "server" / "app" / "__init__.py").unlink()
    _, report = audit_json(root)
    assert report["errors"] == [] and contract_statuses(report) == {"no-lower-to-upper": "kept"}
    # `server/__init__.py` makes `server.app` no root package: said without running it.
    (root / "server" / "__init__.py").write_text(MARKER.format(path=str(markers)))
    status, report = audit_json(root)
    assert status == 2 and report["errors"] == [
        f"{root / 'pyproject.toml'}: root package 'server.app' is inside the package 'server', "
        "which has an __init__.py: name 'server' (or a package of a namespace package) as the "
        "root package"]
    assert list(markers.iterdir()) == []


PROJECT_CONTRACT_TYPE = '''\
from importlinter import Contract, ContractCheck


class NoModuleNamedLegacy(Contract):
    """Broken when the graph holds a module whose last name is `legacy`."""

    def check(self, graph, verbose):
        found = sorted(module for module in graph.modules if module.rsplit(".", 1)[-1] == "legacy")
        return ContractCheck(kept=not found, warnings=None, metadata={"found": found})

    def render_broken_contract(self, check):
        from importlinter.application.output import print_error

        for module in check.metadata["found"]:
            print_error(f"{module} is legacy")
'''
CUSTOM = """
    contract_types = ["no_legacy: project_contracts.NoModuleNamedLegacy"]

    [[tool.importlinter.contracts]]
    id = "no-legacy"
    name = "no legacy modules"
    type = "no_legacy"
"""


def custom_project(root: Path, markers: Path, legacy: bool) -> Path:
    files = {**PROJECT, "project_contracts.py": PROJECT_CONTRACT_TYPE}
    if legacy:
        files["app/services/legacy.py"] = "x = 1\n"
    session, contracts = CONTRACT.format(root="app").split("\n\n", 1)
    pyproject = f"[tool.phase12]\n{session}\n{CUSTOM}\n{contracts}"
    write_project(root, marked({"pyproject.toml": pyproject, **files}, markers))
    return root


@pytest.mark.parametrize("legacy", [False, True], ids=["kept", "broken"])
def test_a_contract_type_the_project_defines_works_as_in_lint_imports(tmp_path, legacy):
    markers = tmp_path / "markers"
    markers.mkdir()
    root = custom_project(tmp_path / "project", markers, legacy)
    result = run_audit(root, options=FAST)  # in this process: it must stay free of the project
    assert not result.errors
    assert {c.id: c.status for c in result.contracts} == {
        "no-legacy": "broken" if legacy else "kept", "no-lower-to-upper": "kept"}
    assert "project_contracts" not in sys.modules and "app" not in sys.modules
    # The child imported the contract type, as lint-imports does; nothing of `app` ran anywhere.
    assert sorted(path.name for path in markers.iterdir()) == ["project_contracts"]
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint_imports is not None
    import subprocess

    completed = subprocess.run([lint_imports, "--no-cache"], cwd=root, capture_output=True,
                               text=True, check=False)
    assert completed.returncode == (1 if legacy else 0), completed.stdout


def test_a_root_package_under_a_source_root_the_project_names_is_found(tmp_path):
    """`[tool.pytest.ini_options] pythonpath = ["server"]`: the package lives in server/, as
    pytest (and the project model) find it; the contract is checked, not an error."""
    root = tmp_path / "project"
    write_project(root, {
        "pyproject.toml": "[tool.phase12]\n\n[tool.pytest.ini_options]\npythonpath = [\"server\"]\n"
                          + CONTRACT.format(root="app"),
        **{f"server/{path}": text for path, text in PROJECT.items()},
    })
    status, report = audit_json(root)
    assert report["errors"] == [], report["errors"]
    assert contract_statuses(report) == {"no-lower-to-upper": "kept"}
