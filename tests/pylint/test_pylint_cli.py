"""The pylint plugin as users run it: suppression, configuration, stdin, jobs, bad input."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from pylint_runs import SYMBOLS, assert_clean_run, run_pylint

SERVICE = "server/app/services/plugin_management_service.py"
VIOLATING = textwrap.dedent("""\
    class PluginManagementService:
        def execute_plugin(self, plugin, payload):
            return plugin.run(payload)
""")


def project(root: Path, files: dict[str, str], table: str = "[tool.phase12]\n") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(table, encoding="utf-8")
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


def lines_of(run, symbol="direct-plugin-execution") -> list[int]:
    return sorted(message.line for message in run.messages if message.symbol == symbol)


def test_the_symbol_in_a_disable_comment_suppresses_the_message(tmp_path):
    source = VIOLATING + textwrap.dedent("""\

        def again(plugin):
            return plugin.run(1)  # pylint: disable=direct-plugin-execution


        def once_more(plugin):
            # pylint: disable-next=direct-plugin-execution
            return plugin.run(2)


        def still_reported(plugin):
            return plugin.run(3)
    """)
    project(tmp_path, {SERVICE: source})
    run = run_pylint([SERVICE], cwd=tmp_path)
    assert_clean_run(run)
    assert lines_of(run) == [3, 15]


def test_a_broken_configuration_is_one_clear_message_not_a_traceback(tmp_path):
    project(tmp_path, {SERVICE: VIOLATING},
            table='[tool.phase12]\nexecution_method = ["run"]\n')
    run = run_pylint([SERVICE], cwd=tmp_path)
    assert_clean_run(run)
    assert [(m.symbol, m.msgid, m.line) for m in run.messages] == \
        [("phase12-config-error", "F7701", 1)]
    text = run.messages[0].text
    assert str(tmp_path / "pyproject.toml") in text
    assert "unknown key 'tool.phase12.execution_method'" in text
    assert "did you mean 'execution_methods'?" in text
    assert run.returncode & 1  # pylint's "fatal message issued" bit


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_broken_configuration_is_reported_once_per_run_not_once_per_module(jobs, tmp_path):
    modules = {f"server/app/module_{number}.py": VIOLATING for number in range(6)}
    project(tmp_path / "broken", modules, table='[tool.phase12]\nexecution_method = ["run"]\n')
    project(tmp_path / "sound", {SERVICE: VIOLATING})
    run = run_pylint([f"--jobs={jobs}", "broken/server", f"sound/{SERVICE}"], cwd=tmp_path)
    assert_clean_run(run)
    errors = [m for m in run.messages if m.symbol == "phase12-config-error"]
    assert len(errors) == 1 and "unknown key 'tool.phase12.execution_method'" in errors[0].text
    assert Path(errors[0].path).parent == tmp_path / "broken/server/app"
    # The project beside it is linted as usual.
    assert [(m.path, m.line, m.code) for m in run.messages if m not in errors] == \
        [(str(tmp_path / "sound" / SERVICE), 3, "GOV101")]
    assert run.returncode & 1


def test_invalid_toml_in_the_phase12_table_is_reported_on_the_module(tmp_path):
    project(tmp_path, {SERVICE: VIOLATING}, table="[tool.phase12\nexclude = [\n")
    run = run_pylint([SERVICE], cwd=tmp_path)
    assert_clean_run(run)
    assert [m.symbol for m in run.messages] == ["phase12-config-error"]
    assert "invalid TOML" in run.messages[0].text


def test_a_missing_explicit_configuration_file_is_named(tmp_path):
    project(tmp_path, {SERVICE: VIOLATING})
    run = run_pylint(["--phase12-config=missing.toml", SERVICE], cwd=tmp_path)
    assert_clean_run(run)
    assert [m.symbol for m in run.messages] == ["phase12-config-error"]
    assert "missing.toml: configuration file not found" in run.messages[0].text


CUSTOM = textwrap.dedent("""\
    class Jobs:
        def submit(self, tool, payload):
            return tool.analyze(payload), tool.run(payload)
""")
CUSTOM_TABLE = 'execution_methods = ["analyze"]\nplugin_receivers = ["tool"]\n'


def test_phase12_config_option_names_the_configuration_file(tmp_path):
    project(tmp_path, {"app/jobs.py": CUSTOM})
    (tmp_path / "phase12.toml").write_text(CUSTOM_TABLE, encoding="utf-8")
    assert lines_of(run_pylint(["app/jobs.py"], cwd=tmp_path)) == []
    run = run_pylint(["--phase12-config=phase12.toml", "app/jobs.py"], cwd=tmp_path)
    assert_clean_run(run)
    assert [(m.line, m.column) for m in run.messages] == [(3, 15)]


def test_phase12_config_option_is_read_from_pylint_configuration_too(tmp_path):
    project(tmp_path, {"app/jobs.py": CUSTOM},
            table='[tool.pylint.phase12]\nphase12-config = "phase12.toml"\n')
    (tmp_path / "phase12.toml").write_text(CUSTOM_TABLE, encoding="utf-8")
    run = run_pylint(["app/jobs.py"], cwd=tmp_path)
    assert_clean_run(run)
    assert lines_of(run) == [3]


def test_configuration_is_discovered_above_each_module_not_from_the_working_directory(tmp_path):
    # Two projects, linted together from their common parent: each uses its own table.
    project(tmp_path / "one", {"app/jobs.py": CUSTOM}, table="[tool.phase12]\n" + CUSTOM_TABLE)
    project(tmp_path / "two", {"app/jobs.py": CUSTOM})
    run = run_pylint(["one/app/jobs.py", "two/app/jobs.py"], cwd=tmp_path)
    assert_clean_run(run)
    assert run.findings() == {str((tmp_path / "one/app/jobs.py").resolve()): {(3, "GOV101")}}


def test_a_syntax_error_does_not_crash_and_other_files_are_still_checked(tmp_path):
    project(tmp_path, {"broken.py": "def broken(:\n", SERVICE: VIOLATING})
    run = run_pylint(["broken.py", SERVICE], cwd=tmp_path)
    assert_clean_run(run)
    assert sorted((Path(m.path).name, m.symbol) for m in run.messages) == [
        ("broken.py", "syntax-error"),
        ("plugin_management_service.py", "direct-plugin-execution"),
    ]


def test_from_stdin_lints_the_piped_source_not_the_file_on_disk(tmp_path):
    project(tmp_path, {SERVICE: "class PluginManagementService:\n    pass\n"})
    run = run_pylint(["--from-stdin", SERVICE], cwd=tmp_path, stdin=VIOLATING)
    assert_clean_run(run)
    assert lines_of(run) == [3]


def test_parallel_jobs_give_the_same_messages(tmp_path):
    files = {f"server/app/services/service_{index}.py": VIOLATING for index in range(4)}
    project(tmp_path, files)
    serial = run_pylint(["--jobs=1", *files], cwd=tmp_path)
    parallel = run_pylint(["--jobs=2", *files], cwd=tmp_path)
    assert_clean_run(parallel)
    assert parallel.findings() == serial.findings()
    assert len(serial.findings()) == 4


def test_confidence_filter_keeps_exactly_the_engine_findings(tmp_path):
    source = textwrap.dedent("""\
        class BasePlugin:
            def run(self, payload):
                return payload


        def by_name(plugin):
            return plugin.run(1)


        def by_annotation():
            return BasePlugin().run(2)


        def by_inference():
            tools = {"ocr": BasePlugin()}
            return tools["ocr"].run(3)
    """)
    project(tmp_path, {"app/service.py": source})
    everything = run_pylint(["app/service.py"], cwd=tmp_path)
    high_only = run_pylint(["--confidence=HIGH", "app/service.py"], cwd=tmp_path)
    # A value looked up in a dict literal: only pylint's inference follows it.
    assert lines_of(everything) == [7, 11, 16]
    assert lines_of(high_only) == [7, 11]


@pytest.mark.parametrize("disabled", ["direct-plugin-execution", "phase12"])
def test_disabling_on_the_command_line(tmp_path, disabled):
    # One of pylint's own messages stays enabled: with nothing enabled pylint lints nothing.
    project(tmp_path, {SERVICE: VIOLATING})
    run = run_pylint([f"--disable={disabled}", SERVICE], cwd=tmp_path,
                     enable=(*SYMBOLS, "missing-module-docstring"))
    assert_clean_run(run)
    assert [message.symbol for message in run.messages] == ["missing-module-docstring"]
