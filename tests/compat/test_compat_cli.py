"""`phase12 compat` and `phase12 snapshot` through argparse: exit codes, formats, files, errors."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from flake8_phase12.cli import compat_cmd
from flake8_phase12.config import ConfigError, clear_caches

V1 = {"app/__init__.py": "", "app/core.py": "def run(name, payload=None):\n    pass\n"}
V2 = {"app/__init__.py": "", "app/core.py": "def run(name):\n    pass\n"}


@pytest.fixture(autouse=True)
def fresh_config_cache():
    clear_caches()
    yield
    clear_caches()


def phase12(*argv: str) -> int:
    """The real `phase12` entry point when the lead's CLI offers our subcommands, else ours."""
    try:
        from flake8_phase12.cli import main

        return main(list(argv))
    except ImportError:  # pragma: no cover - before flake8_phase12.cli.main exists
        parser = argparse.ArgumentParser(prog="phase12")
        compat_cmd.register(parser.add_subparsers())
        args = parser.parse_args(list(argv))
        try:
            return int(args.func(args))
        except ConfigError as exc:
            print(f"phase12: error: {exc}")
            return 2


def test_register_adds_both_subcommands():
    parser = argparse.ArgumentParser()
    compat_cmd.register(parser.add_subparsers())
    args = parser.parse_args(["compat", "proj", "--against", "HEAD~3", "--format", "json", "-o", "r.json"])
    assert (args.path, args.against, args.format, args.output) == ("proj", "HEAD~3", "json", "r.json")
    assert args.func is compat_cmd.run_compat
    args = parser.parse_args(["snapshot", "-o", "s.json"])
    assert (args.path, args.output, args.func) == (None, "s.json", compat_cmd.run_snapshot)


def test_exit_codes_and_text_output(make_tree, capsys):
    old, new = make_tree("v1", V1), make_tree("v2", V2)
    assert phase12("compat", str(old), "--against", str(old)) == 0
    assert "no breaking changes against" in capsys.readouterr().out
    assert phase12("compat", str(new), "--against", str(old)) == 1
    out = capsys.readouterr().out
    assert ("app/core.py:1: GOV803 function app.core.run changed incompatibly: "
            "parameter 'payload' was removed") in out
    assert "[Phase 12 §8; docs: phase12 rules GOV803]" in out
    assert "1 breaking change against" in out


def test_json_output_to_a_file(make_tree, tmp_path, capsys):
    old, new = make_tree("v1", V1), make_tree("v2", V2)
    output = tmp_path / "report.json"
    assert phase12("compat", str(new), "--against", str(old), "--format", "json", "-o", str(output)) == 1
    assert capsys.readouterr().out == ""
    report = json.loads(output.read_text(encoding="utf-8"))
    assert report["ok"] is False and report["counts"] == {"GOV803": 1}
    assert report["changes"][0] == {
        "code": "GOV803", "symbol": "changed-signature", "kind": "parameter-removed",
        "object_path": "app.core.run", "file": "app/core.py", "line": 1,
        "old": "(name, payload=None)", "new": "(name)",
        "message": "function app.core.run changed incompatibly: parameter 'payload' was removed; "
                   "restore the parameter (it may be ignored, or accepted through **kwargs)",
    }


def test_snapshot_then_compat_against_it(make_tree, tmp_path, capsys):
    old, new = make_tree("v1", V1), make_tree("v2", V2)
    snapshot = tmp_path / "phase11.json"
    assert phase12("snapshot", str(old), "-o", str(snapshot)) == 0
    assert "wrote the surface of" in capsys.readouterr().err
    assert json.loads(snapshot.read_text(encoding="utf-8"))["format"] == "phase12-compat-snapshot"
    assert phase12("compat", str(new), "--against", str(snapshot)) == 1
    assert phase12("compat", str(old), "--against", str(snapshot)) == 0


def test_snapshot_to_stdout(make_tree, capsys):
    old = make_tree("v1", V1)
    assert phase12("snapshot", str(old)) == 0
    data = json.loads(capsys.readouterr().out)
    assert [record["path"] for record in data["objects"]] == ["app", "app.core", "app.core.run"]


def test_against_from_pyproject_and_project_root_discovery(make_tree, monkeypatch, capsys):
    make_tree("v1", V1)
    new = make_tree("v2", {**V2, "pyproject.toml": '[tool.phase12.compat]\nagainst = "../v1"\n'})
    monkeypatch.chdir(new / "app")  # a subdirectory: the configuration's directory is the root
    assert phase12("compat") == 1
    assert "GOV803" in capsys.readouterr().out


def test_relative_against_is_taken_from_the_working_directory(make_tree, monkeypatch):
    make_tree("v1", V1)
    new = make_tree("v2", V2)
    monkeypatch.chdir(new.parent)
    assert phase12("compat", "v2", "--against", "v1") == 1


@pytest.mark.parametrize(("argv", "expected"), [
    (["compat", "{new}"], "no Phase 11 source given"),
    (["compat", "{new}", "--against", "{tmp}/missing.json"], "snapshot file not found"),
    (["compat", "{tmp}/no-such-project", "--against", "HEAD"], "not a directory"),
    (["compat", "{new}", "--against", "{tmp}/no-such-dir"], "not inside a git repository"),
    (["snapshot", "{tmp}/empty"], "no Python modules found"),
])
def test_usage_errors_exit_2_with_one_line(make_tree, tmp_path, capsys, argv, expected):
    new = make_tree("v2", V2)
    (tmp_path / "empty").mkdir()
    arguments = [item.format(new=new, tmp=tmp_path) for item in argv]
    assert phase12(*arguments) == 2
    captured = capsys.readouterr()
    error = (captured.err or captured.out).strip()
    assert expected in error
    assert len(error.splitlines()) == 1 and "Traceback" not in error


def test_bad_config_file_is_a_usage_error(make_tree, tmp_path, capsys):
    new = make_tree("v2", V2)
    config = tmp_path / "phase12.toml"
    config.write_text("[compat]\nagainst = 3\n", encoding="utf-8")
    assert phase12("compat", str(new), "--config", str(config)) == 2
    assert "'tool.phase12.compat.against' must be a string" in capsys.readouterr().err


def test_module_entry_point(make_tree):
    import subprocess
    import sys

    old, new = make_tree("v1", V1), make_tree("v2", V2)
    root = Path(__file__).resolve().parents[2]
    command = [sys.executable, "-m", "flake8_phase12", "compat", str(new), "--against", str(old),
               "--format", "json"]
    result = subprocess.run(command, capture_output=True, text=True, cwd=root,
                            env={"PYTHONPATH": str(root), "PATH": ""}, check=False)
    assert result.returncode == 1, result.stderr
    assert json.loads(result.stdout)["counts"] == {"GOV803": 1}
