"""`phase12 init --write`: pyproject.toml edited with tomlkit, setup.cfg line by line, existing
content and comments kept, nothing overwritten without --force, all or nothing."""

from __future__ import annotations

import configparser
import sys
from pathlib import Path

import pytest
from init_projects import (
    INJECTED,
    INJECTED_VIOLATIONS,
    flake8_verdicts,
    lint_imports,
    run_phase12,
    write_project,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

SETUP_CFG = """\
# Project settings; keep the comments.
[metadata]
name = tool-server

[importlinter]
# The app is the only root.
root_package = app
include_external_packages = True

; an existing contract, kept as it is
[importlinter:contract:no-tests]
name = The app never imports tests
type = forbidden
source_modules =
    app
forbidden_modules =
    tests

[flake8]
max-line-length = 100
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_project(tmp_path / "project", INJECTED)


def test_write_adds_the_tables_and_keeps_comments(project):
    pyproject = project / "pyproject.toml"
    pyproject.write_text("# Tool server.\n[project]\nname = \"tool-server\"  # the dist name\n\n"
                         "[tool.black]\n# wide lines\nline-length = 110\n")
    completed = run_phase12("init", "--write", cwd=project)
    assert completed.returncode == 0, completed.stderr
    text = pyproject.read_text()
    assert text.startswith("# Tool server.\n[project]\nname = \"tool-server\"  # the dist name\n")
    assert "[tool.black]\n# wide lines\nline-length = 110\n" in text
    document = tomllib.loads(text)
    assert document["tool"]["phase12"]["runner"]["class"] == "Executor"
    assert [contract["id"] for contract in document["tool"]["importlinter"]["contracts"]] == \
        ["execution-chain", "runner-gateway"]
    assert "Written: pyproject.toml" in completed.stdout


def test_written_configuration_works_for_flake8_and_import_linter(project, tmp_path):
    assert run_phase12("init", "--write", cwd=project).returncode == 0
    assert flake8_verdicts(project) == set()
    assert lint_imports(project).returncode == 0
    violating = write_project(tmp_path / "violating", INJECTED)
    write_project(violating, INJECTED_VIOLATIONS)
    (violating / "pyproject.toml").write_text((project / "pyproject.toml").read_text())
    assert flake8_verdicts(violating) == {
        ("app/services/tasks.py", 2, "GOV604"),   # imports the executor
        ("app/services/tasks.py", 9, "GOV604"),   # holds its own executor
        ("app/services/tasks.py", 17, "GOV604"),  # calls it
        ("app/services/tools.py", 14, "GOV101"),  # `self._catalog.lookup(name).run_tool(...)`
    }
    broken = lint_imports(violating)
    assert broken.returncode == 1
    assert "app.services.tasks -> app.engine.executor" in broken.stdout


def test_dry_run_writes_nothing(project):
    before = (project / "pyproject.toml").read_text()
    completed = run_phase12("init", cwd=project)
    assert completed.returncode == 0
    assert "Dry run: nothing written" in completed.stdout
    assert "[tool.phase12.runner]" in completed.stdout
    assert (project / "pyproject.toml").read_text() == before


def test_a_second_write_finds_nothing_to_do(project):
    assert run_phase12("init", "--write", cwd=project).returncode == 0
    before = (project / "pyproject.toml").read_text()
    again = run_phase12("init", "--write", cwd=project)
    assert again.returncode == 0, again.stderr
    assert "Nothing to write" in again.stdout
    assert (project / "pyproject.toml").read_text() == before


def test_setup_cfg_is_edited_line_by_line(project):
    (project / "setup.cfg").write_text(SETUP_CFG)
    completed = run_phase12("init", "--write", cwd=project)
    assert completed.returncode == 0, completed.stderr
    text = (project / "setup.cfg").read_text()
    for line in SETUP_CFG.splitlines():
        if line != "root_package = app":
            assert line in text.splitlines()
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(text)
    assert parser["importlinter"]["root_package"] == "app"
    assert parser["importlinter"]["contract_types"].split("\n")[1:] == [
        "strict_layers: import_contracts.StrictLayersContract",
        "sole_gateway: import_contracts.SoleGatewayContract"]
    assert parser.sections() == ["metadata", "importlinter", "importlinter:contract:no-tests",
                                 "importlinter:contract:execution-chain",
                                 "importlinter:contract:runner-gateway", "flake8"]
    assert parser["importlinter:contract:runner-gateway"]["gateway_modules"].split() == \
        ["app.services.tools", "app.container"]
    # [tool.phase12] still goes to pyproject.toml: that is where the plugins read it.
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    assert "phase12" in pyproject["tool"] and "importlinter" not in pyproject["tool"]
    kept = lint_imports(project)
    assert kept.returncode == 0, kept.stdout
    assert "3 kept, 0 broken" in kept.stdout


def test_single_root_package_grows_into_a_list_when_another_is_needed(project):
    (project / "setup.cfg").write_text(SETUP_CFG.replace("root_package = app", "root_package = other"))
    assert run_phase12("init", "--write", cwd=project).returncode == 0
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string((project / "setup.cfg").read_text())
    assert parser["importlinter"]["root_packages"].split() == ["other", "app"]
    assert not parser.has_option("importlinter", "root_package")


def test_a_contract_with_the_same_id_and_other_content_needs_force(project):
    (project / "setup.cfg").write_text(SETUP_CFG + "\n[importlinter:contract:runner-gateway]\n"
                                       "name = Old gateway\ntype = sole_gateway\nprotected_modules =\n"
                                       "    app.old\ngateway_modules =\n    app.other\n")
    before = (project / "setup.cfg").read_text()
    refused = run_phase12("init", "--write", cwd=project)
    assert refused.returncode == 2
    assert refused.stderr.strip() == ("phase12: error: setup.cfg already has an import-linter contract "
                                      "'runner-gateway' with other content; re-run with --force to "
                                      "replace it")
    assert (project / "setup.cfg").read_text() == before
    assert "[tool.phase12]" not in (project / "pyproject.toml").read_text()  # all or nothing

    assert run_phase12("init", "--write", "--force", cwd=project).returncode == 0
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string((project / "setup.cfg").read_text())
    assert parser["importlinter:contract:runner-gateway"]["protected_modules"].split() == \
        ["app.engine.executor"]
    assert parser.sections().count("importlinter:contract:runner-gateway") == 1


def test_force_replaces_the_role_keys_and_keeps_the_others(project):
    (project / "pyproject.toml").write_text(
        "[tool.phase12]\nexclude = [\"legacy\"]\n\n# how the audit runs the old suite\n"
        "[tool.phase12.tests]\ncommand = \"pytest -q tests/phase_11\"\n\n"
        "[tool.phase12.runner]\nfunction = \"old_runner\"\nmodule = \"old\"\n")
    refused = run_phase12("init", "--write", cwd=project)
    assert refused.returncode == 2
    assert "already has a [tool.phase12] table" in refused.stderr
    forced = run_phase12("init", "--write", "--force", cwd=project)
    assert forced.returncode == 0, forced.stderr
    text = (project / "pyproject.toml").read_text()
    assert "# how the audit runs the old suite" in text
    table = tomllib.loads(text)["tool"]["phase12"]
    assert table["exclude"] == ["legacy"]
    assert table["tests"] == {"command": "pytest -q tests/phase_11"}
    assert table["runner"] == {"module": "executor", "class": "Executor", "method": "execute",
                               "attributes": ["_execute_tool"]}


def test_without_a_pyproject_one_is_created(project):
    (project / "pyproject.toml").unlink()
    assert run_phase12("init", "--write", cwd=project).returncode == 0
    document = tomllib.loads((project / "pyproject.toml").read_text())
    assert set(document["tool"]) == {"phase12", "importlinter"}


def test_crlf_files_stay_crlf_and_keep_every_line_they_had(project):
    pyproject = project / "pyproject.toml"
    pyproject.write_bytes(b"# Tool server.\r\n[project]\r\nname = \"tool-server\"\r\n")
    setup_cfg = project / "setup.cfg"
    setup_cfg.write_bytes(SETUP_CFG.replace("\n", "\r\n").encode())
    completed = run_phase12("init", "--write", cwd=project)
    assert completed.returncode == 0, completed.stderr
    for path, before in ((pyproject, b"# Tool server.\r\n[project]\r\nname = \"tool-server\"\r\n"),
                         (setup_cfg, SETUP_CFG.replace("\n", "\r\n").encode())):
        after = path.read_bytes()
        assert b"\n" not in after.replace(b"\r\n", b""), path.name  # no bare LF added
        kept = [line for line in before.splitlines(keepends=True) if b"root_package" not in line]
        assert all(line in after.splitlines(keepends=True) for line in kept), path.name
    assert tomllib.loads(pyproject.read_text())["tool"]["phase12"]["runner"]["class"] == "Executor"


def test_both_files_or_neither_when_one_cannot_be_written(project, tmp_path):
    """pyproject.toml is a link into a directory the (unprivileged) user cannot write: the
    proposal for setup.cfg, which could be written, must not be written either."""
    import shutil

    import unprivileged

    with unprivileged.shared_directory() as shared:
        copy = shutil.copytree(project, shared / "project")
        (copy / "setup.cfg").write_text(SETUP_CFG)
        locked = shared / "locked"
        locked.mkdir()
        (copy / "pyproject.toml").rename(locked / "pyproject.toml")
        (copy / "pyproject.toml").symlink_to(locked / "pyproject.toml")
        unprivileged.readable_by_all(shared)
        copy.chmod(0o777)
        (copy / "setup.cfg").chmod(0o666)
        before = (locked / "pyproject.toml").read_bytes()
        completed = unprivileged.phase12("init", "--write", ".", cwd=copy)
        assert completed.returncode == 2, completed.stdout + completed.stderr
        assert completed.stderr == ("phase12: error: pyproject.toml: cannot write it (Permission "
                                    "denied)\n")
        assert (copy / "setup.cfg").read_text() == SETUP_CFG
        assert (locked / "pyproject.toml").read_bytes() == before
        assert [path.name for path in copy.iterdir() if path.name.startswith(".")] == []
