"""The configuration model: discovery, validation, partial tables, and its reference."""

from __future__ import annotations

import json
import re

import pytest

from flake8_phase12.cli import main
from flake8_phase12.config import ConfigError, clear_caches, config_from_mapping, load_config
from flake8_phase12.config.reference import MEANINGS, keys, render_markdown


@pytest.fixture(autouse=True)
def fresh_caches():
    clear_caches()
    yield
    clear_caches()


def test_defaults_are_the_checklist_names():
    config = config_from_mapping({})
    assert (config.runner.module, config.runner.class_name, config.runner.method) == \
        ("tool_runner", "ToolRunner", "run")
    assert config.validation.input_validator == "validate_input_payload"
    assert config.validation.output_validator == "validate_plugin_output"
    assert config.envelope.function == "build_error_envelope"
    assert config.metrics.function == "update_execution_metrics"
    assert config.services.job_management.delegate_methods == ("execute_plugin",)


def test_discovery_walks_up_from_the_file_to_the_nearest_table(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.phase12]\nexecution_methods = ['go']\n")
    nested = tmp_path / "pkg" / "sub"
    nested.mkdir(parents=True)
    (tmp_path / "pkg" / "pyproject.toml").write_text("[project]\nname = 'no-table-here'\n")
    config = load_config(start=nested / "module.py")
    assert config.execution_methods == ("go",)
    assert config.project_root == tmp_path


def test_no_table_anywhere_gives_defaults_rooted_at_the_nearest_project(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (tmp_path / "src").mkdir()
    config = load_config(start=tmp_path / "src")
    assert config.source == "<defaults>" and config.project_root == tmp_path


def test_a_partial_subtable_keeps_the_other_defaults_of_that_service():
    config = config_from_mapping({"services": {"job_management": {"entry_methods": ["go"]}}})
    service = config.services.job_management
    assert service.entry_methods == ("go",)
    assert service.class_name == "JobManagementService"
    assert config.services.analysis.class_name == "AnalysisService"


@pytest.mark.parametrize(("table", "message"), [
    ({"runer": {}}, "unknown key 'tool.phase12.runer'; did you mean 'runner'?"),
    ({"runner": {"clas": "X"}}, "unknown key 'tool.phase12.runner.clas'; did you mean 'class'?"),
    ({"zzz": 1}, "unknown key 'tool.phase12.zzz'; valid keys: api, baseline,"),
    ({"runner": "ToolRunner"}, "'tool.phase12.runner' must be a table, got a string ('ToolRunner')"),
    ({"api": {"error_status": "400"}}, "'tool.phase12.api.error_status' must be an integer, got a string"),
    ({"api": {"error_status": True}}, "'tool.phase12.api.error_status' must be an integer, got a boolean"),
    ({"exclude": [1, 2]}, "'tool.phase12.exclude' must be a list of strings, got a list with non-string"),
])
def test_mistakes_are_one_line_naming_the_file_and_key(table, message):
    with pytest.raises(ConfigError) as raised:
        config_from_mapping(table, source="pyproject.toml")
    text = str(raised.value)
    assert text.startswith("pyproject.toml: ") and message in text and "\n" not in text


def test_dashes_and_underscores_are_interchangeable_in_keys():
    config = config_from_mapping({"execution-methods": ["x"], "runner": {"class": "R"}})
    assert config.execution_methods == ("x",) and config.runner.class_name == "R"


def test_every_key_has_a_meaning_and_every_meaning_a_key():
    names = {key.name for key in keys()}
    generic = {name.replace(name.split(".")[1], "*", 1) if name.startswith("services.") else name
               for name in names}
    assert not [key.name for key in keys() if not key.meaning]
    assert set(MEANINGS) == generic


def test_readme_holds_the_current_reference():
    from pathlib import Path

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    assert render_markdown() in readme, "regenerate with `phase12 config --reference`"


def test_config_command_shows_the_effective_configuration_and_its_source(tmp_path, capsys):
    (tmp_path / "pyproject.toml").write_text("[tool.phase12.runner]\nclass = 'Executor'\n")
    assert main(["config", str(tmp_path), "--format", "json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["source"] == str(tmp_path / "pyproject.toml")
    assert shown["tool"]["phase12"]["runner"]["class"] == "Executor"
    assert shown["tool"]["phase12"]["runner"]["method"] == "run"


def test_config_command_reports_a_broken_file_in_one_line(tmp_path, capsys):
    (tmp_path / "pyproject.toml").write_text("[tool.phase12]\nexclude = ['x']\nrunner = 1\n")
    assert main(["config", str(tmp_path)]) == 2
    error = capsys.readouterr().err.strip()
    assert error.endswith("'tool.phase12.runner' must be a table, got an integer (1)")
    assert len(error.splitlines()) == 1


def test_the_reference_shows_the_defaults_a_project_gets():
    """Nested tables show their field's default (`services.analysis.class` is
    `AnalysisService`), not the empty defaults of their class."""
    config = config_from_mapping({})
    for key in keys():
        value: object = config
        for part in key.name.split("."):
            value = getattr(value, "class_name" if part == "class" else part)
        assert key.default == value, key.name
    shown = render_markdown()
    assert "| `services.analysis.class` | string | `AnalysisService` |" in shown


def test_sanctioned_executors_map_an_executor_to_the_modules_allowed_to_call_it(tmp_path, capsys):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.phase12.sanctioned_executors]\n'
        '"shop.sandbox.jail:confine" = ["shop.engine.press"]\n'
        '"shop.legacy:Classic.execute" = ["shop.services.desk", "shop.cli"]\n')
    config = load_config(start=tmp_path)
    assert config.sanctioned_executors == (
        ("shop.legacy:Classic.execute", ("shop.services.desk", "shop.cli")),
        ("shop.sandbox.jail:confine", ("shop.engine.press",)))
    # Their modules may execute plugins, as sanctioned modules do.
    assert config.execution_modules == ("shop.legacy", "shop.sandbox.jail")
    assert main(["config", str(tmp_path)]) == 0
    shown = capsys.readouterr().out
    assert '[tool.phase12.sanctioned_executors]\n"shop.legacy:Classic.execute" = ["shop.services.desk", ' \
           '"shop.cli"]' in shown


@pytest.mark.parametrize(("table", "message"), [
    ({"sanctioned_executors": ["a:b"]},
     "'tool.phase12.sanctioned_executors' must be a table of lists of strings, got a list"),
    ({"sanctioned_executors": {"a:b": "c"}},
     "'tool.phase12.sanctioned_executors.\"a:b\"' must be a list of strings, got a string ('c')"),
    ({"sanctioned_executors": {"a:b": [1]}},
     "'tool.phase12.sanctioned_executors.\"a:b\"' must be a list of strings, got a list with non-string"),
    ({"sanctioned_executors": {"run_isolated": ["a"]}},
     "'tool.phase12.sanctioned_executors.\"run_isolated\"': write the executor as \"module:function\""),
])
def test_a_wrong_sanctioned_executor_is_one_line(table, message):
    with pytest.raises(ConfigError) as raised:
        config_from_mapping(table, source="pyproject.toml")
    text = str(raised.value)
    assert text.startswith("pyproject.toml: ") and message in text and "\n" not in text


@pytest.mark.parametrize("status, accepted", [(100, True), (599, True), (99, False), (600, False),
                                              (-400, False)])
def test_the_error_status_is_an_http_status_code(status, accepted):
    if accepted:
        assert config_from_mapping({"api": {"error-status": status}}).api.error_status == status
        return
    with pytest.raises(ConfigError, match=r"'tool.phase12.api.error-status' must be between 100 "
                                          rf"and 599, got {status}$"):
        config_from_mapping({"api": {"error-status": status}})


def test_runner_also_names_more_runner_roles_beside_the_one_runner():
    config = config_from_mapping({"runner": {
        "module": "depot.engine.sync", "class": "Engine", "method": "run",
        "also": ["depot.engine.aio:run_async", "depot.engine.sync:Engine.run_batch",
                 "depot.wiring:assemble.<locals>.execute", "depot.engine.sync:Engine.run"]}})
    runner = config.runner
    assert [target.written for target in runner.targets] == [
        "depot.engine.sync:Engine.run", "depot.engine.aio:run_async",
        "depot.engine.sync:Engine.run_batch", "depot.wiring:assemble.<locals>.execute"]
    assert runner.modules == ("depot.engine.sync", "depot.engine.aio", "depot.wiring")
    assert runner.class_names == ("Engine",)
    assert runner.method_names == ("run", "run_batch")
    assert runner.function_names == ("run_async", "execute")
    # Without `also` the view is the one runner, as before.
    single = config_from_mapping({"runner": {"function": "execute_plugin", "class": ""}}).runner
    assert [target.written for target in single.targets] == ["tool_runner:execute_plugin"]
    assert single.modules == ("tool_runner",)


@pytest.mark.parametrize("value", [
    ["depot.engine.aio"], ["depot.engine.aio:"], [":run_async"], ["depot:Engine..run"],
    ["depot:<locals>.run"], ["depot:run-async"], ["depot engine:run"],
])
def test_a_wrong_runner_role_is_one_line_naming_the_key_and_the_shape(value):
    with pytest.raises(ConfigError) as raised:
        config_from_mapping({"runner": {"also": value}}, source="pyproject.toml")
    text = str(raised.value)
    assert text == ("pyproject.toml: 'tool.phase12.runner.also' must list runners as "
                    "\"module:function\" or \"module:Class.method\" (\"module:outer.<locals>.inner\" "
                    f"for a nested function), got {value[0]!r}")


@pytest.mark.parametrize(("value", "message"), [
    ("depot.engine.aio:run_async", "must be a list of strings, got a string ('depot.engine.aio:run_async')"),
    ([1], "must be a list of strings, got a list with non-string items"),
])
def test_runner_also_is_a_list_of_strings(value, message):
    with pytest.raises(ConfigError, match="'tool.phase12.runner.also' " + re.escape(message)):
        config_from_mapping({"runner": {"also": value}}, source="pyproject.toml")


def test_config_command_lists_every_runner_role(tmp_path, capsys):
    (tmp_path / "pyproject.toml").write_text(
        "[tool.phase12.runner]\nmodule = 'depot.engine.sync'\nclass = 'Engine'\n"
        "also = ['depot.engine.aio:run_async']\n")
    assert main(["config", str(tmp_path)]) == 0
    shown = capsys.readouterr().out
    assert "# runner roles: depot.engine.sync:Engine.run, depot.engine.aio:run_async\n" in shown
    assert 'also = ["depot.engine.aio:run_async"]' in shown
    assert main(["config", str(tmp_path), "--format", "json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["runner_roles"] == ["depot.engine.sync:Engine.run", "depot.engine.aio:run_async"]
    assert shown["tool"]["phase12"]["runner"]["also"] == ["depot.engine.aio:run_async"]
