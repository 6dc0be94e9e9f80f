"""The pylint checker: the shared engine per module, plus type inference for GOV101.

For each module pylint lints, the checker reads the module's own bytes (the file, or what
`--from-stdin` received), parses them with the stdlib `ast` and runs `lint_file.check_file`, so
every GOV file rule gives exactly what flake8 gives (confidence HIGH). Then, only in modules
where GOV101 applies, it uses astroid to find plugin executions that names alone do not show
(confidence INFERENCE): receivers inferred or annotated to be plugin instances, and calls that
hand a plugin to a helper which executes it. Those are reported once per (line, code): never
where the engine already reported.
"""

from __future__ import annotations

import ast
import importlib.util
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from astroid import nodes
from pylint.checkers import BaseChecker
from pylint.checkers.utils import only_required_for_messages
from pylint.interfaces import HIGH, INFERENCE, Confidence

from flake8_phase12.analysis.context import FileContext, Finding
from flake8_phase12.catalog import INTERNAL_ERROR
from flake8_phase12.baseline import new_findings_in_file
from flake8_phase12.config import Config, ConfigError, clear_caches, config_for_file, load_config
from flake8_phase12.lint_file import concerned_checks, configuration_error, internal_error, run_checks
from flake8_phase12.pylint.executions import (
    EMPTY_MODULE,
    Session,
    applies,
    inferred_executions,
    is_candidate,
)
from flake8_phase12.pylint.messages import (
    CHECKER_NAME,
    CONFIG_ERROR_SYMBOL,
    message_by_code,
    messages,
    pylint_msgs,
)
from flake8_phase12.rules.direct_execution import DIRECT_PLUGIN_EXECUTION

if TYPE_CHECKING:
    from pylint.lint import PyLinter

ALL_SYMBOLS = tuple(message.symbol for message in messages())


class Phase12Checker(BaseChecker):
    """The pylint checker: the same rules as the flake8 plugin, plus astroid inference for plugin
    executions."""
    name = CHECKER_NAME
    msgs = pylint_msgs()
    options = (
        (
            "phase12-config",
            {
                "default": "",
                "type": "path",
                "metavar": "<file>",
                "help": "TOML file with the Phase 12 configuration: a pyproject.toml with "
                        "[tool.phase12], or a file holding those keys. Default: the nearest "
                        "pyproject.toml with [tool.phase12] above each linted module.",
            },
        ),
    )

    def __init__(self, linter: PyLinter) -> None:
        super().__init__(linter)
        # One inference session per configuration and run: caches shared by its modules.
        self._sessions: dict[int, Session] = {}
        self._pending: PendingScan | None = None
        # A broken configuration is reported once per run, on the first module it governs.
        self._config_errors: list[ConfigErrorSeen] = []

    def open(self) -> None:
        # Long-lived linters (editor servers) must see configuration edits between runs.
        clear_caches()
        self._sessions = {}
        self._pending = None
        self._config_errors = []

    # -- a broken configuration, once per run ------------------------------------------------
    # Sequentially `open()` starts the run, so the first module reports the error and the rest
    # stay quiet. With --jobs, every worker calls `open()` per module: each hands what it saw
    # to the main process (`get_map_data`), which reports each error once (`reduce_map_data`).

    def _configuration_error(self, exc: ConfigError, node: nodes.Module) -> None:
        text = configuration_error(exc).message
        if any(seen.text == text for seen in self._config_errors):
            return
        self._config_errors.append(ConfigErrorSeen(node.name, node.file or "", text))
        if not self._in_parallel_worker():
            self._report_configuration_error(text)

    def _in_parallel_worker(self) -> bool:
        # pylint's own test for linting in worker processes (`PyLinter.check`).
        config = self.linter.config
        return config.jobs > 1 and not config.from_stdin

    def get_map_data(self) -> list[ConfigErrorSeen]:
        return list(self._config_errors)

    def reduce_map_data(self, linter: PyLinter, data: list[list[ConfigErrorSeen]]) -> None:
        reported: set[str] = set()
        for seen in (seen for errors in data for seen in errors):
            if seen.text not in reported:
                reported.add(seen.text)
                linter.set_current_module(seen.module, seen.path)
                self._report_configuration_error(seen.text)

    def _report_configuration_error(self, text: str) -> None:
        self.add_message(CONFIG_ERROR_SYMBOL, line=1, col_offset=0,
                         args=text.removeprefix(INTERNAL_ERROR.code + " "), confidence=HIGH)

    @only_required_for_messages(*ALL_SYMBOLS)
    def visit_module(self, node: nodes.Module) -> None:
        self._pending = None
        try:
            self._check_module(node)
        # Never crash pylint; report it on the module.
        except Exception as exc:  # noqa: BLE001  # pylint: disable=broad-exception-caught
            self._report(internal_error("the pylint plugin", exc))

    def _check_module(self, node: nodes.Module) -> None:
        path = _module_path(node)
        if path is None:
            return
        try:
            config = self._config(path)
        except ConfigError as exc:
            self._configuration_error(exc, node)
            return
        source = _read_source(node)
        if source is None:
            return  # unreadable or undecodable: pylint reports that itself
        findings = self._engine_findings(path, config, source)
        for finding in self._not_in_baseline(findings, node, path, config, source):
            self._report(finding)
        ctx = FileContext(EMPTY_MODULE, path, config, source)
        if self.linter.is_message_enabled(DIRECT_PLUGIN_EXECUTION.symbol) and applies(ctx):
            # Lines the engine found, baselined or not: inference must not report them again.
            reported = {finding.line for finding in findings
                        if finding.rule is DIRECT_PLUGIN_EXECUTION}
            self._pending = PendingScan(node, ctx, reported)

    # pylint's own walk collects the candidates: no second traversal of the module.
    @only_required_for_messages(DIRECT_PLUGIN_EXECUTION.symbol)
    def visit_attribute(self, node: nodes.Attribute) -> None:
        self._collect(node)

    @only_required_for_messages(DIRECT_PLUGIN_EXECUTION.symbol)
    def visit_call(self, node: nodes.Call) -> None:
        self._collect(node)

    def _collect(self, node: nodes.NodeNG) -> None:
        pending = self._pending
        if pending is not None and is_candidate(node, pending.ctx.config.execution_methods):
            pending.candidates.append(node)

    @only_required_for_messages(DIRECT_PLUGIN_EXECUTION.symbol)
    def leave_module(self, node: nodes.Module) -> None:
        # Inference runs last: pylint's own checkers have inferred this module's calls by now,
        # so most of what the plugin asks astroid is already in its inference cache.
        pending, self._pending = self._pending, None
        if pending is not None and pending.module is node:
            self._report_inferred_executions(pending)

    # -- the shared engine -------------------------------------------------------------------

    def _config(self, path: str) -> Config:
        explicit = self.linter.config.phase12_config
        return load_config(explicit) if explicit else config_for_file(path)

    def _not_in_baseline(self, findings: list[Finding], node: nodes.Module, path: str,
                         config: Config, source: str) -> list[Finding]:
        """What the flake8 plugin reports too: with `baseline` set, only new findings."""
        if not config.baseline or not findings:
            return findings
        try:
            return new_findings_in_file(findings, path, config.project_root, config.baseline,
                                        source)
        except ConfigError as exc:
            self._configuration_error(exc, node)
            return findings

    @staticmethod
    def _engine_findings(path: str, config: Config, source: str) -> list[Finding]:
        # The checks are chosen as flake8's are, from the path and text alone, so a module no
        # rule concerns is never parsed a second time.
        probe = FileContext(EMPTY_MODULE, path, config, source)
        try:
            if probe.is_excluded:
                return []
        # The host tool must never crash.
        except Exception as exc:  # noqa: BLE001  # pylint: disable=broad-exception-caught
            return [internal_error("path matching", exc)]
        findings: list[Finding] = []
        checks = concerned_checks(probe, findings)
        if not checks:
            return findings
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return findings  # pylint has reported the syntax error already
        return run_checks(FileContext(tree, path, config, source), checks, findings)

    def _report(self, finding: Finding, *, symbol: str | None = None,
                confidence: Confidence = HIGH) -> None:
        """One pylint message for an engine finding: its text without the leading code."""
        message = message_by_code().get(finding.code)
        if symbol is None and message is None:
            # A file rule whose code breaks the GOV<s>0<n> convention has no pylint id: it is
            # still shown, code and all, rather than dropped.
            symbol, text = INTERNAL_ERROR.symbol, finding.message
        else:
            symbol = symbol or message.symbol
            text = finding.message.removeprefix(finding.code + " ")
        self.add_message(symbol, line=finding.line, col_offset=finding.col,
                         end_lineno=finding.end_line, end_col_offset=finding.end_col,
                         args=text, confidence=confidence)

    # -- GOV101 by type ----------------------------------------------------------------------

    def _report_inferred_executions(self, pending: PendingScan) -> None:
        ctx = pending.ctx
        try:
            session = self._sessions.get(id(ctx.config))
            if session is None or session.config is not ctx.config:
                session = self._sessions[id(ctx.config)] = Session(ctx.config)
            findings = list(inferred_executions(pending.candidates, ctx, session,
                                                pending.reported_lines))
            for finding in self._not_in_baseline(findings, pending.module, ctx.path, ctx.config,
                                                 ctx.source):
                self._report(finding, confidence=INFERENCE)
        # Inference must never crash pylint.
        except Exception as exc:  # noqa: BLE001  # pylint: disable=broad-exception-caught
            self._report(internal_error("GOV101 (pylint inference)", exc))


@dataclass(frozen=True)
class ConfigErrorSeen:
    """A broken configuration and the first module it kept from being checked."""

    module: str
    path: str
    text: str


@dataclass
class PendingScan:
    """A module whose GOV101 inference waits for the end of pylint's walk."""

    module: nodes.Module
    ctx: FileContext
    reported_lines: set[int]
    candidates: list[nodes.NodeNG] = field(default_factory=list)


def _module_path(node: nodes.Module) -> str | None:
    if not node.file:
        return None
    return str(Path(node.file).absolute())


def _read_source(node: nodes.Module) -> str | None:
    """The module's text as pylint read it: the file, or the `--from-stdin` data."""
    try:
        stream = node.stream()
        if stream is None:
            return None
        with stream:
            data = stream.read()
    except OSError:
        return None
    if isinstance(data, str):
        return data
    try:
        return importlib.util.decode_source(data)
    except (UnicodeDecodeError, SyntaxError, LookupError):
        return None
