"""The flake8 plugin: a thin adapter over `flake8_phase12.lint_file`.

Per file and stateless across files, so it works with `--jobs` under every multiprocessing start
method: the only class-level state is what `parse_options` derives from flake8's options. The
configuration is discovered from the linted file's directory (or the `--stdin-display-name`),
never from flake8's working directory alone, because editors choose that directory freely.
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

from flake8_phase12 import __version__
from flake8_phase12.config import Config, ConfigError, config_for_file, load_config
from flake8_phase12.lint_file import check_file, configuration_error

STDIN_NAMES = frozenset({"stdin", "-", ""})


class Phase12Checker:
    """The flake8 plugin: one instance per file; yields the GOV findings of `lint_file.check_file`."""
    name = "flake8-phase12"
    version = __version__

    # Set by `parse_options`: an explicit configuration file overrides discovery.
    config_file: ClassVar[str | None] = None

    def __init__(self, tree: ast.Module, filename: str, lines: list[str]) -> None:
        self.tree = tree
        self.filename = filename
        self.lines = lines

    @classmethod
    def add_options(cls, option_manager: Any) -> None:
        option_manager.add_option(
            "--phase12-config",
            default=None,
            parse_from_config=True,
            normalize_paths=True,
            help="TOML file with the Phase 12 configuration (a pyproject.toml with "
                 "[tool.phase12], or a file holding those keys). Default: the nearest "
                 "pyproject.toml with [tool.phase12] above each linted file.",
        )

    @classmethod
    def parse_options(cls, options: Any) -> None:
        from flake8.exceptions import ExecutionError

        cls.config_file = getattr(options, "phase12_config", None) or None
        try:
            # Validate up front so a configuration mistake is one clean line, not a
            # traceback from a worker process halfway through the run.
            if cls.config_file:
                load_config(cls.config_file)
            else:
                load_config(start=Path.cwd())
        except ConfigError as exc:
            raise ExecutionError(f"flake8-phase12: {exc}") from None

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        try:
            config = self._config()
        except ConfigError as exc:
            # A broken pyproject.toml above this file only: say so on the file, lint the rest.
            finding = configuration_error(exc)
            yield finding.line, finding.col, finding.message, type(self)
            return
        source = "".join(self.lines)
        findings = check_file(self.tree, self._path(), config, source)
        if config.baseline and findings:
            # Imported here: only projects with a baseline pay for it, not every flake8 start.
            from flake8_phase12.baseline import new_findings_in_file

            try:
                # Only findings that are not in the baseline (see `phase12 baseline`).
                findings = new_findings_in_file(findings, self._path(), config.project_root,
                                                config.baseline, source)
            except ConfigError as exc:
                findings = [configuration_error(exc), *findings]
        for finding in findings:
            if finding.rule.aliases and self._suppressed_by_old_code(finding.rule.aliases,
                                                                     finding.line):
                continue
            yield finding.line, finding.col, finding.message, type(self)

    def _suppressed_by_old_code(self, aliases: tuple[str, ...], line: int) -> bool:
        """`# noqa: GOV706` on the line of a finding of the rule that code moved to: flake8
        matches the new code only, so the plugin honours the old one."""
        from flake8.defaults import NOQA_INLINE_REGEXP  # flake8's own reading of the comment

        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        found = NOQA_INLINE_REGEXP.search(text)
        if found is None or not found.group("codes"):
            return False
        named = {code.upper() for code in re.split(r"[,\s]+", found.group("codes")) if code}
        return bool(named & set(aliases))

    def _path(self) -> str:
        if self.filename in STDIN_NAMES:
            return os.path.join(os.getcwd(), "stdin.py")
        return os.path.abspath(self.filename)

    def _config(self) -> Config:
        if self.config_file:
            return load_config(self.config_file)
        return config_for_file(self._path())
