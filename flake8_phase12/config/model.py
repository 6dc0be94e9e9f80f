"""The `[tool.phase12]` configuration model.

Every default is the checklist's own name, so a codebase shaped like the checklist needs no
configuration. Each class is one TOML table; field names are the TOML keys (`-` and `_` are
interchangeable in keys; `class` is spelled `class` in TOML and `class_name` here).

The tables are `Record`s (immutable named tuples, see `flake8_phase12.records`), not frozen
dataclasses: flake8 imports this model on every run, editors included, and a record class costs
a twentieth of a frozen dataclass to create.

Module patterns (`runner.module`, `api.route_modules`, ...) match a dotted suffix of the file's
module path, name by name, with `fnmatch` wildcards (`*`, `?`, `[seq]`, `[!seq]`; one
implementation for every pattern: `analysis/globs.py`): `tool_runner` matches
`server/app/services/tool_runner.py`; `app.execution.*` matches `src/app/execution/runner.py`.
"""

# No `from __future__ import annotations`: the loader reads the field types from the evaluated
# annotations as they are (`loader.field_types`); strings would have to be evaluated first.
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from flake8_phase12.records import Record

# A TOML table of lists of strings (`name = ["a", "b"]`), kept as sorted (name, values) pairs:
# configurations are hashable, they key the caches of the layers and gates.
StringListTable = tuple[tuple[str, tuple[str, ...]], ...]


class RunnerTarget(Record):
    """One runner role: the module pattern that defines it and its qualified name there,
    `function`, `Class.method`, or a function nested in another as Python's `__qualname__`
    writes it (`build.<locals>.run`): a closure a composition root hands to a constructor."""

    module: str
    qualname: str

    @property
    def path(self) -> tuple[str, ...]:
        """The names from the module down: `("build", "run")` for `build.<locals>.run`."""
        return tuple(part for part in self.qualname.split(".") if part != LOCALS)

    @property
    def name(self) -> str:
        """The callable's own name: the method or the function."""
        return self.path[-1]

    @property
    def owner(self) -> str:
        """The class of a method (`Class.method`), `""` for a function, nested or not."""
        if self.nested or len(self.path) != 2:
            return ""
        return self.path[0]

    @property
    def nested(self) -> bool:
        """A function defined in another function (`build.<locals>.run`)."""
        return LOCALS in self.qualname.split(".")

    @property
    def written(self) -> str:
        return f"{self.module}:{self.qualname}"


# The segment Python's `__qualname__` puts between a function and a function defined in it.
LOCALS = "<locals>"


class RunnerConfig(Record):
    """The sanctioned place where plugins are executed (checklist §1): one runner named by
    `module` with `class` and `method` (or `function`), and any further runner roles in `also`
    (a sync and an async twin, a runner function in another module)."""

    module: str = "tool_runner"
    class_name: str = "ToolRunner"
    method: str = "run"
    # A plain-function runner instead of class + method, e.g. "execute_plugin_safely".
    function: str = ""
    # Attributes through which services hold the runner: `self._runner.run(...)`, or the runner
    # injected as a callable, `self._tool_runner(...)`.
    attributes: tuple[str, ...] = ("_runner", "_tool_runner", "runner", "tool_runner")
    # More runner roles, each `"module:function"` or `"module:Class.method"` (a nested function:
    # `"module:outer.<locals>.inner"`): every one is governed as the runner is.
    also: tuple[str, ...] = ()

    @property
    def targets(self) -> tuple[RunnerTarget, ...]:
        """Every runner role: `function` and `class`.`method` in `module` (when set), then
        each of `also`, without repeats."""
        return _runner_targets(self)

    @property
    def also_targets(self) -> tuple[RunnerTarget, ...]:
        """The runner roles of `also` alone."""
        return tuple(target for target in map(parse_target, self.also) if target is not None)

    @property
    def modules(self) -> tuple[str, ...]:
        """The module patterns of every runner role, `module` first."""
        return _runner_modules(self)

    @property
    def class_names(self) -> tuple[str, ...]:
        """The classes whose methods are runner roles."""
        return tuple(dict.fromkeys(target.owner for target in self.targets if target.owner))

    @property
    def method_names(self) -> tuple[str, ...]:
        """The names of the runner roles that are methods (`run`, `dispatch_async`)."""
        return tuple(dict.fromkeys(target.name for target in self.targets if target.owner))

    @property
    def function_names(self) -> tuple[str, ...]:
        """The names of the runner roles that are functions, module-level or nested."""
        return tuple(dict.fromkeys(target.name for target in self.targets if not target.owner))

    @property
    def names(self) -> tuple[str, ...]:
        """The names that stand for the runner in code: its classes, and its functions."""
        return tuple(dict.fromkeys((*self.class_names, *self.function_names)))


def parse_target(text: str) -> RunnerTarget | None:
    """`"pkg.mod:Class.method"` as a `RunnerTarget`; None when it is not of that shape (a
    module pattern, a colon, then dotted identifiers with `<locals>` allowed between them)."""
    module, colon, qualname = text.partition(":")
    parts = qualname.split(".")
    if not colon or not module.strip() or not all(
            part.isidentifier() for part in parts if part != LOCALS) \
            or parts[0] == LOCALS or parts[-1] == LOCALS or any(
                ch.isspace() for ch in module):
        return None
    return RunnerTarget(module, qualname)


@lru_cache(maxsize=64)
def _runner_targets(runner: RunnerConfig) -> tuple[RunnerTarget, ...]:
    found = []
    if runner.function:
        found.append(RunnerTarget(runner.module, runner.function))
    if runner.class_name and runner.method:
        found.append(RunnerTarget(runner.module, f"{runner.class_name}.{runner.method}"))
    found.extend(runner.also_targets)
    return tuple(dict.fromkeys(found))


@lru_cache(maxsize=64)
def _runner_modules(runner: RunnerConfig) -> tuple[str, ...]:
    return tuple(dict.fromkeys(module for module in (
        runner.module, *(target.module for target in runner.targets)) if module))


class ValidationConfig(Record):
    """Checklist §2 and §3."""

    input_validator: str = "validate_input_payload"
    output_validator: str = "validate_plugin_output"


class EnvelopeConfig(Record):
    """Checklist §4: the error envelope builder and its required shape."""

    function: str = "build_error_envelope"
    module: str = "error_envelope"
    fields: tuple[str, ...] = (
        "error.type",
        "error.message",
        "error.details",
        "error.plugin",
        "error.timestamp",
        "_internal.traceback",
    )


class MetricsConfig(Record):
    """Checklist §5: the registry metrics update and the fields it must maintain."""

    function: str = "update_execution_metrics"
    registry_module: str = "plugin_registry"
    success_field: str = "success_count"
    error_field: str = "error_count"
    fields: tuple[str, ...] = (
        "last_execution_time_ms",
        "avg_execution_time_ms",
        "last_used",
        "state",
    )
    states: tuple[str, ...] = ("SUCCESS", "ERROR")


class ServiceConfig(Record):
    """One service of the delegation chain (checklist §6)."""

    class_name: str = ""
    module: str = ""
    # The attribute holding the next layer, e.g. `self._runner` or `self._plugin_mgmt`.
    delegate_attributes: tuple[str, ...] = ()
    # Methods of the next layer it may call; empty means any method of the delegate.
    delegate_methods: tuple[str, ...] = ()
    # The service's own entry method that the layer above calls.
    entry_methods: tuple[str, ...] = ()


class ServicesConfig(Record):
    """`[tool.phase12.services]`: the three services of the chain, each with its class, module and
    delegate."""
    plugin_management: ServiceConfig = ServiceConfig(
        class_name="PluginManagementService",
        module="plugin_management_service",
        delegate_attributes=("_runner", "_tool_runner"),
        delegate_methods=("run",),
        entry_methods=("execute_plugin",),
    )
    job_management: ServiceConfig = ServiceConfig(
        class_name="JobManagementService",
        module="job_management_service",
        delegate_attributes=("_plugin_mgmt", "_plugin_management"),
        delegate_methods=("execute_plugin",),
        entry_methods=("run_job", "submit_job", "execute_job"),
    )
    analysis: ServiceConfig = ServiceConfig(
        class_name="AnalysisService",
        module="analysis_service",
        delegate_attributes=("_job_mgmt", "_job_management", "_jobs"),
        delegate_methods=(),
        entry_methods=("analyze",),
    )


class ApiConfig(Record):
    """Checklist §7: the API route modules and the analyze endpoint's contract."""

    route_modules: tuple[str, ...] = ("analyze",)
    error_status: int = 400
    error_key: str = "error"
    success_keys: tuple[str, ...] = ("result", "plugin")
    # Names through which a route reaches the analysis service.
    service_names: tuple[str, ...] = ("analysis_service", "AnalysisService", "get_analysis_service")


class LayersConfig(Record):
    """The call chain, top to bottom, as module patterns (checklist §6)."""

    chain: tuple[str, ...] = (
        "api.*",
        "analysis_service",
        "job_management_service",
        "plugin_management_service",
        "tool_runner",
    )


class TestsConfig(Record):
    """The tests the checklist names, and an optional command such as the Phase 11 suite."""

    __test__ = False  # not a pytest test class, despite the name

    root: str = "."
    required: tuple[str, ...] = (
        "test_input_validation.py",
        "test_output_validation.py",
        "test_error_envelope_structure.py",
        "test_unstructured_errors_fail.py",
        "test_registry_metrics_not_updated_yet.py",
        "test_toolrunner_called_for_all_plugins.py",
        "test_no_direct_plugin_run_calls.py",
        "test_job_management_uses_plugin_management.py",
        "test_analyze_endpoint_phase12_contract.py",
    )
    command: str = ""


class CompatConfig(Record):
    """Checklist §8: where the Phase 11 surface comes from (a git ref, a directory or a snapshot)."""

    against: str = ""
    paths: tuple[str, ...] = (".",)


class Config(Record):
    """The whole `[tool.phase12]` table."""

    # Paths never checked. A pattern without `/` matches any file or directory name in the path;
    # a pattern with `/` matches the path relative to the project root.
    exclude: tuple[str, ...] = ("tests", "test", "test_*.py", "*_test.py", "conftest.py")
    extend_exclude: tuple[str, ...] = ()
    # Other modules allowed to execute plugins, e.g. a sandbox.
    sanctioned_modules: tuple[str, ...] = ()
    # Executors besides the runner (a sandbox entry point, a legacy runner kept for Phase 11):
    # `"module:function"` or `"module:Class.method"` -> the module patterns allowed to call it.
    sanctioned_executors: StringListTable = ()
    # Plugin methods that execute a plugin.
    execution_methods: tuple[str, ...] = ("run",)
    # How plugin objects are recognised by name: `plugin`, `*_plugin`, `self.plugin`,
    # `self._plugins[]` (any subscript of it), `registry.get()` (the result of that call).
    plugin_receivers: tuple[str, ...] = (
        "plugin",
        "*.plugin",
        "*._plugin",
        "*_plugin",
        "plugins[]",
        "*.plugins[]",
        "*_plugins[]",
        "*registry.get()",
        "*get_plugin()",
        "*load_plugin()",
    )
    # Base classes or protocols of plugins, used by the pylint plugin's inference.
    plugin_base_classes: tuple[str, ...] = ("BasePlugin", "Plugin", "PluginBase")
    # A baseline file of accepted findings (see `phase12 baseline`); empty means none.
    baseline: str = ""
    runner: RunnerConfig = RunnerConfig()
    validation: ValidationConfig = ValidationConfig()
    envelope: EnvelopeConfig = EnvelopeConfig()
    metrics: MetricsConfig = MetricsConfig()
    services: ServicesConfig = ServicesConfig()
    api: ApiConfig = ApiConfig()
    layers: LayersConfig = LayersConfig()
    tests: TestsConfig = TestsConfig()
    compat: CompatConfig = CompatConfig()
    # Where the configuration came from (not a TOML key): the project root and the file.
    project_root: Path = Path(".")
    source: str = "<defaults>"

    @property
    def all_excludes(self) -> tuple[str, ...]:
        return self.exclude + self.extend_exclude

    @property
    def execution_modules(self) -> tuple[str, ...]:
        """Modules besides the runner's that may execute plugins: the sanctioned modules and
        the modules of the sanctioned executors."""
        executors = tuple(target.split(":", 1)[0] for target, _ in self.sanctioned_executors)
        return self.sanctioned_modules + executors

    @property
    def configured_excludes(self) -> tuple[str, ...]:
        """What the configuration itself excludes: `extend_exclude`, and `exclude` when it is set
        (not the default test patterns). The import contracts' graph leaves these out, and keeps
        the tests `lint-imports` sees."""
        default = type(self)._field_defaults["exclude"]
        return (self.exclude if self.exclude != default else ()) + self.extend_exclude

    @property
    def root_prefix(self) -> str:
        """The absolute project root with a trailing separator, for cheap prefix tests."""
        return os.path.join(os.path.abspath(self.project_root), "")


# Keys that are spelled differently in TOML than the Python field name.
TOML_ALIASES = {"class": "class_name"}
# Fields that are not TOML keys.
INTERNAL_FIELDS = frozenset({"project_root", "source"})
# The values an integer key may take, by dotted key below [tool.phase12] (inclusive).
INTEGER_RANGES = {"api.error_status": (100, 599)}  # an HTTP status code
# Lists whose every item names a callable as `"module:qualname"` (see `parse_target`).
TARGET_LISTS = frozenset({"runner.also"})


def is_table(value: Any) -> bool:
    """Whether `value` (an instance or a class) is one of the configuration tables above."""
    return isinstance(getattr(value, "_field_defaults", None), dict)
