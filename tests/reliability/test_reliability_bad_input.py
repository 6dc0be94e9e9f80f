"""Bad input gives one clear message where it is, never a traceback, and the rest is linted.

Files: unreadable (a dangling symlink, a symlink loop, a directory named like a module, a file
without read permission where the user is not root), undecodable, an unknown coding cookie, NUL
bytes, syntax errors, empty files, a 100,000-line file, deep nesting, symlinks to real modules.
Configuration: a broken `pyproject.toml` (invalid TOML, not UTF-8, `[tool.phase12]` not a table,
a directory of that name) and every key of `[tool.phase12]` given a value of the wrong type.
Each through real `flake8` processes and through `phase12 audit`.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import textwrap
import typing
from pathlib import Path

import pytest
import tomlkit

from flake8_phase12.cli import main
from flake8_phase12.config.model import INTERNAL_FIELDS, TOML_ALIASES, Config, is_table
from flake8_phase12.flake8 import Phase12Checker

SERVICE = "server/app/services/plugin_management_service.py"
VIOLATION = textwrap.dedent("""\
    class PluginManagementService:
        def execute_plugin(self, plugin, payload):
            return plugin.run(payload)
    """)
VIOLATION_AT = (3, 16)  # flake8's line and 1-based column of `plugin.run(...)`
FLAKE8_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>[A-Z]+\d+) (?P<text>.*)$")
HUGE_LINES = 100_000


def flake8(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flake8", *args], cwd=cwd, capture_output=True,
                          text=True, check=False, timeout=900)


def audit(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flake8_phase12", "audit", "--no-test-command",
                           "--no-progress", *args], cwd=cwd, capture_output=True, text=True,
                          check=False, timeout=900)


def reported(output: str) -> dict[str, set[tuple[int, int, str]]]:
    """`./relative/path` -> {(line, column, code)} from flake8's default format."""
    found: dict[str, set[tuple[int, int, str]]] = {}
    for line in output.splitlines():
        match = FLAKE8_LINE.match(line)
        if match:
            path = match["path"].removeprefix("./")
            found.setdefault(path, set()).add((int(match["line"]), int(match["col"]), match["code"]))
    return found


def write(root: Path, name: str, content: str | bytes) -> Path:
    target = root / name
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content, encoding="utf-8")
    return target


def nested_ifs(depth: int) -> str:
    """A runner whose execution sits under `depth` nested ifs (the tokenizer allows < 100)."""
    lines = ["class ToolRunner:", "    def run(self, plugin_name, payload):"]
    indent = "        "
    for level in range(depth):
        lines.append(f"{indent}if payload[{level}]:")
        indent += "    "
    lines.append(f"{indent}return plugin.run(payload)")
    return "\n".join(lines) + "\n"


# -- bad files -------------------------------------------------------------------------------

BAD_FILES: dict[str, str | bytes] = {
    "server/app/undecodable.py": b"\xff\xfe plugin.run(1)\n",
    "server/app/unknown_codec.py": b"# -*- coding: klingon -*-\nx = 1\n",
    "server/app/nul_bytes.py": b"x = '\x00'\n",
    "server/app/syntax_error.py": "def broken(:\n    plugin.run(1)\n",
    "server/app/empty.py": "",
    "server/app/services/tool_runner.py": "",  # an empty runner module
    "server/app/nested.py": nested_ifs(90),
    # Deep, but within what flake8's own pyflakes survives (about 300; see the in-process test).
    "server/app/deep_expression.py": "total = plugin.run(0)" + " + 1" * 200 + "\n",
}


@pytest.fixture
def bad_tree(tmp_path: Path) -> Path:
    write(tmp_path, "pyproject.toml", "[tool.phase12]\n")
    write(tmp_path, SERVICE, VIOLATION)
    for name, content in BAD_FILES.items():
        write(tmp_path, name, content)
    app = tmp_path / "server" / "app"
    (app / "dangling.py").symlink_to(app / "missing.py")
    (app / "loop_a.py").symlink_to(app / "loop_b.py")
    (app / "loop_b.py").symlink_to(app / "loop_a.py")
    write(app, "directory.py/inner.py", "x = 1\n")  # a directory named like a module
    (app / "alias.py").symlink_to(tmp_path / SERVICE)  # a symlink to a real module
    (tmp_path / "linked_services").symlink_to(app / "services", target_is_directory=True)
    return tmp_path


def test_flake8_reports_bad_files_in_its_own_way_and_lints_the_rest(bad_tree):
    result = flake8(bad_tree, "--select=GOV,E902,E999", ".")
    assert "Traceback" not in result.stderr and "failed during execution" not in result.stderr
    found = reported(result.stdout)
    violation = {(*VIOLATION_AT, "GOV101")}
    assert found.pop(SERVICE) == violation
    assert found.pop("server/app/alias.py") == violation
    # flake8 does not follow symlinked directories (the files behind are linted once).
    assert "linked_services/plugin_management_service.py" not in found
    assert found.pop("server/app/nested.py") == {(93, 376, "GOV101")}
    assert found.pop("server/app/deep_expression.py") == {(1, 9, "GOV101")}
    for name in ("dangling.py", "loop_a.py", "loop_b.py"):
        assert {code for *_, code in found.pop(f"server/app/{name}")} == {"E902"}, name
    for name in ("syntax_error.py", "nul_bytes.py", "undecodable.py"):
        assert {code for *_, code in found.pop(f"server/app/{name}")} == {"E999"}, name
    # Nothing else: the empty files, the unknown codec and the directory's module are clean.
    assert found == {}


@pytest.mark.slow
def test_flake8_lints_a_100k_line_file_to_its_last_line(tmp_path):
    write(tmp_path, "pyproject.toml", "[tool.phase12]\n")
    body = "".join(f"value_{number} = {number}\n" for number in range(HUGE_LINES))
    write(tmp_path, "server/app/huge.py", body + "plugin.run(1)\n")
    write(tmp_path, SERVICE, VIOLATION)
    result = flake8(tmp_path, "--select=GOV", ".")
    assert "Traceback" not in result.stderr
    assert reported(result.stdout) == {"server/app/huge.py": {(HUGE_LINES + 1, 1, "GOV101")},
                                       SERVICE: {(*VIOLATION_AT, "GOV101")}}


def test_a_file_without_read_permission_is_reported_by_flake8_and_the_rest_linted(tmp_path):
    write(tmp_path, "pyproject.toml", "[tool.phase12]\n")
    write(tmp_path, SERVICE, VIOLATION)
    locked = write(tmp_path, "server/app/locked.py", VIOLATION)
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("this user reads files without read permission (root); the dangling "
                        "symlink and the symlink loop stand for unreadable files")
        result = flake8(tmp_path, "--select=GOV,E902", ".")
    finally:
        locked.chmod(0o644)
    assert "Traceback" not in result.stderr
    found = reported(result.stdout)
    assert {code for *_, code in found["server/app/locked.py"]} == {"E902"}
    assert found[SERVICE] == {(*VIOLATION_AT, "GOV101")}


DEEP = {
    "a 1000-term sum": "total = plugin.run(0)" + " + 1" * 1000 + "\n",
    "1000 unary minus": "total = " + "-" * 1000 + "plugin.run(0)\n",
    "a 1000-long attribute chain": "total = plugin.run(0)" + ".field" * 1000 + "\n",
    "150 nested calls": "total = " + "f(" * 150 + "plugin.run(0)" + ")" * 150 + "\n",
    "96 nested ifs in the runner": nested_ifs(96),  # + class + def: the tokenizer's 98 levels
}
ROLES = ("server/app/services/tool_runner.py", SERVICE, "server/app/services/analysis_service.py",
         "server/app/api/analyze.py", "server/app/plugin_registry.py",
         "server/app/error_envelope.py", "server/app/helpers.py")


@pytest.mark.parametrize("name", sorted(DEEP))
def test_the_plugin_survives_deep_nesting_in_every_role(name, tmp_path, monkeypatch):
    """In process, because real flake8's own pyflakes already gives up (RecursionError, which
    flake8 turns into "pyflakes[F] failed during execution") beyond a depth of about 300."""
    config = write(tmp_path, "phase12.toml", "exclude = []\n")
    monkeypatch.setattr(Phase12Checker, "config_file", str(config))
    source = DEEP[name]
    tree = ast.parse(source)
    for role in ROLES:
        results = list(Phase12Checker(tree, str(tmp_path / role), source.splitlines(True)).run())
        codes = {text.split(" ", 1)[0] for *_, text, _ in results}
        assert "GOV000" not in codes, role
        assert ("GOV101" in codes) == (not role.endswith("tool_runner.py")), role


def test_audit_reports_each_unreadable_file_and_audits_the_rest(bad_tree):
    write(bad_tree, "server/app/deep_unary.py", DEEP["1000 unary minus"])
    result = audit(bad_tree, "--format", "json", ".")
    assert "Traceback" not in result.stderr, result.stderr
    # The links to nothing cannot be read at all: the audit cannot vouch for them (exit 2).
    assert result.returncode == 2, result.stderr
    report = json.loads(result.stdout)
    app = bad_tree / "server" / "app"
    assert report["errors"] == [
        f"{app / 'dangling.py'}: a link to {app / 'missing.py'}, which does not exist",
        f"{app / 'loop_a.py'}: a link that never reaches a file (a loop of links)",
        f"{app / 'loop_b.py'}: a link that never reaches a file (a loop of links)"]
    assert report["verified"] is False and report["verdict"].startswith("Phase 12 NOT VERIFIED")
    findings = report["findings"] + report["problems"]
    by_path: dict[str, set[str]] = {}
    for finding in findings:
        if finding.get("path"):
            by_path.setdefault(finding["path"], set()).add(finding["code"])
    for name in ("undecodable.py", "unknown_codec.py", "nul_bytes.py", "syntax_error.py"):
        assert by_path.get(f"server/app/{name}") == {"GOV001"}, name
    for name in (SERVICE, "server/app/alias.py", "server/app/nested.py",
                 "server/app/deep_expression.py", "server/app/deep_unary.py"):
        assert "GOV101" in by_path.get(name, set()), name
    unreadable = [finding["message"] for finding in findings if finding["code"] == "GOV001"]
    assert all("fix it, or exclude it" in message for message in unreadable)


# -- bad configuration ----------------------------------------------------------------------

def wrong_values(cls: type = Config, prefix: tuple[str, ...] = ()):
    """(TOML key path, a value of the wrong type, what the message must say) for every key."""
    hints = typing.get_type_hints(cls)
    reverse_aliases = {field: key for key, field in TOML_ALIASES.items()}
    for name in cls._fields:
        if name in INTERNAL_FIELDS:
            continue
        key = (*prefix, reverse_aliases.get(name, name))
        hint = hints[name]
        if is_table(hint):
            yield key, "a string", "must be a table"
            yield from wrong_values(hint, key)
        elif hint is str:
            yield key, 7, "must be a string"
        elif hint is int:
            yield key, "400", "must be an integer"
        elif hint is bool:
            yield key, 1, "must be true or false"
        elif typing.get_origin(hint) is tuple:
            yield key, [1, 2], "must be a list of strings"
            # A lone string is no list either (`execution_methods = "tag"`).
            yield key, "tag", "must be a list of strings, got a string ('tag')"
        else:  # pragma: no cover - a new kind of key needs a wrong value here
            raise AssertionError(f"no wrong value for {key}: {hint}")


WRONG_VALUES = list(wrong_values())
OTHER_MISTAKES = [
    (("exlude",), ["tests"], "unknown key 'tool.phase12.exlude'; did you mean 'exclude'?"),
    (("runner", "klass"), "ToolRunner", "unknown key 'tool.phase12.runner.klass'"),
    (("zzz_not_a_key",), 1, "unknown key 'tool.phase12.zzz_not_a_key'; valid keys:"),
]


def pyproject_with(key: tuple[str, ...], value: object) -> str:
    table: dict = {}
    inner = table
    for part in key[:-1]:
        inner = inner.setdefault(part, {})
    inner[key[-1]] = value
    return tomlkit.dumps({"tool": {"phase12": table}})


def test_the_wrong_value_list_covers_every_key_kind():
    messages = {message for _, _, message in WRONG_VALUES}
    assert {"must be a table", "must be a string", "must be a list of strings",
            "must be an integer"} <= messages
    assert len(WRONG_VALUES) > 40


def test_every_wrong_configuration_value_is_one_clear_line_on_its_project_only(tmp_path):
    """One flake8 run over a workspace of projects, each with one mistake in its pyproject.toml:
    each project's file gets one GOV000 line naming the file and the key; the sound project
    beside them is linted as usual."""
    write(tmp_path, "pyproject.toml", "[tool.phase12]\n")
    write(tmp_path, f"sound/{SERVICE}", VIOLATION)
    write(tmp_path, "sound/pyproject.toml", "[tool.phase12]\n")
    expected: dict[str, str] = {}
    for number, (key, value, message) in enumerate(WRONG_VALUES + OTHER_MISTAKES):
        project = f"project{number}"
        pyproject = write(tmp_path, f"{project}/pyproject.toml", pyproject_with(key, value))
        write(tmp_path, f"{project}/{SERVICE}", VIOLATION)
        location = ".".join(("tool", "phase12", *key))
        expected[f"{project}/{SERVICE}"] = (f"GOV000 configuration error: {pyproject}: "
                                            + (message if "unknown key" in message
                                               else f"'{location}' {message}"))
    result = flake8(tmp_path, "--select=GOV", ".")
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    lines = {}
    for line in result.stdout.splitlines():
        path, _, rest = line.removeprefix("./").partition(":1:1: ")
        lines.setdefault(path, []).append(rest)
    for path, start in expected.items():
        assert len(lines.get(path, [])) == 1 and lines[path][0].startswith(start), (path, start)
        assert "\n" not in lines[path][0]
    assert reported(result.stdout)[f"sound/{SERVICE}"] == {(*VIOLATION_AT, "GOV101")}


BROKEN_FILES: dict[str, tuple[bytes, str]] = {
    "invalid TOML": (b"[tool.phase12\nexclude = [\n", "invalid TOML: "),
    "not UTF-8": (b"[tool.phase12]\nexclude = ['caf\xe9']\n", "not UTF-8 text"),
    "not a table": (b"[tool]\nphase12 = 1\n", "[tool.phase12] must be a table"),
    "wrong type": (b"[tool.phase12]\nruns = 1\nexecution_methods = 'run'\n",
                   "unknown key 'tool.phase12.runs'"),
    "string for a list": (b"[tool.phase12]\nexecution_methods = 'run'\n",
                          "'tool.phase12.execution_methods' must be a list of strings, got a "
                          "string ('run')"),
}


def test_a_broken_pyproject_is_reported_on_its_files_and_the_others_are_linted(tmp_path):
    write(tmp_path, "pyproject.toml", "[tool.phase12]\n")
    write(tmp_path, f"sound/{SERVICE}", VIOLATION)
    for number, (content, _) in enumerate(BROKEN_FILES.values()):
        write(tmp_path, f"broken{number}/pyproject.toml", content)
        write(tmp_path, f"broken{number}/{SERVICE}", VIOLATION)
    # A directory named pyproject.toml is no configuration: the root's applies.
    (tmp_path / "odd" / "pyproject.toml").mkdir(parents=True)
    write(tmp_path, f"odd/{SERVICE}", VIOLATION)
    result = flake8(tmp_path, "--select=GOV", ".")
    assert "Traceback" not in result.stderr, result.stderr
    for number, (_, message) in enumerate(BROKEN_FILES.values()):
        pyproject = tmp_path / f"broken{number}" / "pyproject.toml"
        assert (f"./broken{number}/{SERVICE}:1:1: GOV000 configuration error: {pyproject}: "
                f"{message}") in result.stdout
    found = reported(result.stdout)
    assert found[f"sound/{SERVICE}"] == found[f"odd/{SERVICE}"] == {(*VIOLATION_AT, "GOV101")}


EXPLICIT_MISTAKES = {
    "missing file": (None, "configuration file not found"),
    "invalid TOML": ("exclude = [\n", "invalid TOML"),
    "wrong type": ("exclude = ['tests']\nexecution_methods = [1]\n",
                   "'tool.phase12.execution_methods' must be a list of strings"),
    "string for a list": ("execution_methods = 'tag'\n",
                          "'tool.phase12.execution_methods' must be a list of strings, got a "
                          "string ('tag')"),
    "misspelled key": ("exlude = []\n", "did you mean 'exclude'?"),
    "table as a value": ("runner = 'tool_runner'\n", "'tool.phase12.runner' must be a table"),
}


@pytest.mark.parametrize("kind", sorted(EXPLICIT_MISTAKES))
def test_a_bad_explicit_config_file_stops_flake8_with_one_clear_line(kind, tmp_path):
    content, message = EXPLICIT_MISTAKES[kind]
    config = tmp_path / "phase12.toml"
    if content is not None:
        config.write_text(content, encoding="utf-8")
    write(tmp_path, SERVICE, VIOLATION)
    result = flake8(tmp_path, "--select=GOV", f"--phase12-config={config}", ".")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    # flake8 prints its critical errors on stdout.
    assert result.stdout.startswith("There was a critical error during execution of Flake8:\n")
    errors = [line for line in result.stdout.splitlines() if line.startswith("flake8-phase12: ")]
    assert len(errors) == 1 and errors[0].startswith(f"flake8-phase12: {config}: ")
    assert message in errors[0]


AUDIT_MISTAKES = {
    "invalid TOML": (b"[tool.phase12\n", "invalid TOML"),
    "not UTF-8": (b"[tool.phase12]\nexclude = ['caf\xe9']\n", "not UTF-8 text"),
    "string expected": (b"[tool.phase12.runner]\nmodule = 7\n",
                        "'tool.phase12.runner.module' must be a string"),
    "integer expected": (b"[tool.phase12.api]\nerror_status = '400'\n",
                         "'tool.phase12.api.error_status' must be an integer"),
    "list expected": (b"[tool.phase12]\nexclude = [1]\n", "'tool.phase12.exclude' must be a list of strings"),
    "table expected": (b"[tool.phase12]\nservices = 'x'\n", "'tool.phase12.services' must be a table"),
    "misspelled key": (b"[tool.phase12]\nexlude = []\n", "did you mean 'exclude'?"),
}


@pytest.mark.parametrize("kind", sorted(AUDIT_MISTAKES))
def test_audit_names_the_file_and_key_of_a_bad_configuration_in_one_line(kind, tmp_path):
    content, message = AUDIT_MISTAKES[kind]
    pyproject = write(tmp_path, "pyproject.toml", content)
    write(tmp_path, SERVICE, VIOLATION)
    result = audit(tmp_path, ".")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        line for line in result.stderr.strip().splitlines() if line.startswith("phase12: error: ")]
    assert result.stderr.startswith(f"phase12: error: {pyproject.resolve()}: ") or \
        result.stderr.startswith(f"phase12: error: {pyproject}: ")
    assert message in result.stderr


# Valid TOML that is no configuration: each front end says so in one line, none crashes.
ODD_TOML: dict[str, tuple[str, str]] = {
    # Mentions phase12, so discovery reads it (a file that does not is not ours to judge).
    "tool is a number": ("# the phase12 settings\ntool = 5\n", "'tool' must be a table"),
    "a 5,000-deep array": ("[tool.phase12]\nexclude = " + "[" * 5000 + "]" * 5000 + "\n",
                           "nested too deeply"),
    "a status out of range": ("[tool.phase12.api]\nerror_status = 99999\n",
                              "'tool.phase12.api.error_status' must be between 100 and 599, got 99999"),
}
PHASE12_FRONT_ENDS = (("audit", "--no-test-command", "--no-progress", "."), ("baseline", "."),
                      ("config", "."), ("compat", "."))


@pytest.mark.parametrize("kind", sorted(ODD_TOML))
def test_odd_but_valid_toml_is_one_line_in_every_front_end(kind, tmp_path):
    content, message = ODD_TOML[kind]
    pyproject = write(tmp_path, "pyproject.toml", content)
    write(tmp_path, SERVICE, VIOLATION)
    expected = f"{pyproject}: "

    result = flake8(tmp_path, "--select=GOV", ".")
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    errors = [line for line in result.stdout.splitlines() if line.startswith("flake8-phase12: ")]
    assert errors == [f"flake8-phase12: {expected}{errors[0].split(expected, 1)[-1]}"]
    assert message in errors[0]

    # An rcfile of its own: pylint's own reader of pyproject.toml is not what is tested here.
    rcfile = write(tmp_path.parent / f"{tmp_path.name}-rc", "pylintrc", "[MAIN]\n")
    pylint = subprocess.run(
        [sys.executable, "-m", "pylint", f"--rcfile={rcfile}", "--load-plugins=flake8_phase12.pylint",
         "--disable=all", "--enable=phase12-config-error", "--persistent=n", "--score=n", SERVICE],
        cwd=tmp_path, capture_output=True, text=True, check=False, timeout=600)
    assert "Traceback" not in pylint.stderr, pylint.stderr[-2000:]
    messages = [line for line in pylint.stdout.splitlines() if "F7701" in line]
    assert len(messages) == 1 and expected in messages[0] and message in messages[0], pylint.stdout

    for command in PHASE12_FRONT_ENDS:
        completed = subprocess.run([sys.executable, "-m", "flake8_phase12", *command], cwd=tmp_path,
                                   capture_output=True, text=True, check=False, timeout=600)
        assert completed.returncode == 2, (command, completed.stdout, completed.stderr)
        assert completed.stderr.splitlines() == [f"phase12: error: {expected}"
                                                 + completed.stderr.split(expected, 1)[-1].strip()]
        assert message in completed.stderr, command

    # `-c`: pytest's own reader of pyproject.toml is not what is tested here either.
    ini = write(tmp_path, "pytest.ini", "[pytest]\n")
    pytest_run = subprocess.run(
        [sys.executable, "-m", "pytest", "-c", str(ini), "--phase12", "-p", "no:cacheprovider",
         "server"], cwd=tmp_path, capture_output=True, text=True, check=False, timeout=600)
    assert pytest_run.returncode == pytest.ExitCode.USAGE_ERROR, pytest_run.stdout
    assert [line for line in pytest_run.stderr.splitlines() if line] == [
        f"ERROR: phase12: configuration error: {expected}"
        + pytest_run.stderr.split(expected, 1)[-1].strip()]
    assert message in pytest_run.stderr

    init = subprocess.run([sys.executable, "-m", "flake8_phase12", "init", "."], cwd=tmp_path,
                          capture_output=True, text=True, check=False, timeout=600)
    assert init.returncode == 2 and "Traceback" not in init.stderr, init.stderr
    assert len(init.stderr.splitlines()) == 1 and "pyproject.toml: " in init.stderr


@pytest.mark.parametrize("command", ["audit", "baseline"])
@pytest.mark.parametrize("value", ["-1", "0", "nan", "inf", "soon"])
def test_a_test_timeout_must_be_a_positive_number_of_seconds(command, value, capsys):
    with pytest.raises(SystemExit) as exited:
        main([command, "--test-timeout", value, "."])
    assert exited.value.code == 2
    error = capsys.readouterr().err.strip().splitlines()[-1]
    assert error.startswith(f"phase12 {command}: error: argument --test-timeout: expected a ")
