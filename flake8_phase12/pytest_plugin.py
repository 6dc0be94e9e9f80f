"""The pytest plugin: the Phase 12 checklist as test items in the user's own suite.

Registered through the `pytest11` entry point, it changes nothing unless asked: enable it with
`pytest --phase12`, or `phase12 = true` in the pytest configuration (`[tool.pytest.ini_options]`,
`pytest.ini`, `setup.cfg`, `tox.ini`). Then the session gets one item per checklist section,
`phase12::section-1-execution-path-governance` ... `phase12::section-8-phase-11-compatibility`,
and one per import contract, `phase12::contract-<id>`, and `phase12::files-not-checked`, failing,
when files could not be parsed (GOV001). An item passes when its section (or
contract) holds, fails with the evidence (file:line, code, message), and is skipped when
nothing could verify its section here. They take part in `-v`, `-k`, `--lf`, `--junitxml` and
pytest-xdist like any other test. A broken configuration is one `pytest.UsageError`; a check that
could not run is one collection error (`Phase12Collector`).

The audit is `flake8_phase12.audit.run_audit`, run once per session (once per xdist worker) on
first use, without the configured test command: the suite that would run it is running already.
The session fixture `phase12_audit` returns the `AuditResult`, so tests can assert on it:

    def test_no_direct_execution(phase12_audit):
        assert not phase12_audit.section(1).findings

Options: `--phase12-path` / `phase12_path` (the codebase to audit, default the rootdir).
Everything heavier than pytest itself is imported on first use, so a session that does not
enable the plugin pays nothing for it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:  # pragma: no cover
    from flake8_phase12.audit.model import AuditFinding, AuditResult

# Set by `phase12 audit` for the test command it runs: do not audit again inside that run.
RUNNING_ENVIRONMENT_VARIABLE = "PHASE12_AUDIT_RUNNING"
COLLECTOR_NAME = "phase12"
COMMAND_REASON = "not run by the pytest plugin: this pytest session runs the suite itself"
FILES_NOT_CHECKED = "files-not-checked"
_AUDIT_KEY = pytest.StashKey["_AuditCache"]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("phase12", "Phase 12 checklist (flake8-phase12)")
    group.addoption("--phase12", action="store_true", default=False,
                    help="add one test item per Phase 12 checklist section and import contract")
    group.addoption("--phase12-path", default=None, metavar="PATH",
                    help="the codebase the phase12 items audit (default: the rootdir)")
    parser.addini("phase12", type="bool", default=False,
                  help="add the Phase 12 checklist items to every run (like --phase12)")
    parser.addini("phase12_path", type="string", default="",
                  help="the codebase the phase12 items audit, relative to the rootdir")


def pytest_configure(config: pytest.Config) -> None:
    cache = config.stash[_AUDIT_KEY] = _AuditCache(config)
    if enabled(config):
        # A broken configuration is one usage error before anything runs, not one failure per
        # item (under xdist, the controller stops before starting any worker).
        cache.check_configuration()
        config.pluginmanager.register(_Phase12Items(), "phase12-items")


def enabled(config: pytest.Config) -> bool:
    if os.environ.get(RUNNING_ENVIRONMENT_VARIABLE):
        return False
    return bool(config.getoption("phase12") or config.getini("phase12"))


@pytest.fixture(scope="session")
def phase12_audit(pytestconfig: pytest.Config) -> AuditResult:
    """The Phase 12 audit of the codebase under test (run once per session)."""
    return pytestconfig.stash[_AUDIT_KEY].result()


class _AuditCache:
    """Runs the audit at most once per process and remembers the result or the error."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self._result: AuditResult | None = None
        self._error: str | None = None

    @property
    def target(self) -> Path:
        chosen = self.config.getoption("phase12_path") or self.config.getini("phase12_path")
        if not chosen:
            return self.config.rootpath
        path = Path(chosen)
        if path.is_absolute():
            return path
        # A command-line path is relative to where pytest was started; an ini path to the rootdir.
        base = self.config.invocation_params.dir if self.config.getoption("phase12_path") \
            else self.config.rootpath
        return base / path

    def check_configuration(self) -> None:
        """Raise `pytest.UsageError` (one line) when the configuration cannot be loaded."""
        from flake8_phase12.audit import load_audit_config
        from flake8_phase12.config import ConfigError

        try:
            load_audit_config(self.target)
        except ConfigError as exc:
            raise pytest.UsageError(f"phase12: configuration error: {exc}") from None

    def result(self) -> AuditResult:
        if self._result is None and self._error is None:
            from flake8_phase12.audit import AuditOptions, run_audit
            from flake8_phase12.config import ConfigError

            try:
                options = AuditOptions(run_test_command=False, command_reason=COMMAND_REASON)
                self._result = run_audit(self.target, options=options)
            except ConfigError as exc:
                self._error = f"phase12: configuration error: {exc}"
        if self._error is not None:
            raise Phase12ConfigurationError(self._error)
        assert self._result is not None
        return self._result

    @property
    def ran(self) -> bool:
        return self._result is not None


class Phase12ConfigurationError(Exception):
    """The audit could not run: its configuration is broken."""


class Phase12Failure(Exception):
    """A section or contract does not hold; `lines` is the evidence."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


class _Phase12Items:
    """Adds the checklist items to the session (registered only when the plugin is enabled)."""

    @pytest.hookimpl(tryfirst=True)
    def pytest_collection_modifyitems(self, session: pytest.Session, config: pytest.Config,
                                      items: list[pytest.Item]) -> None:
        # tryfirst: before `-k`/`-m` deselection and `--lf` filtering, which then treat these
        # items like any other.
        collector = Phase12Collector.from_parent(session, name=COLLECTOR_NAME, nodeid=COLLECTOR_NAME)
        try:
            added = collector.collect()
        except Phase12Collector.CollectError as exc:
            # Reported like a module that cannot be collected: one error, and pytest stops.
            config.hook.pytest_collectreport(
                report=pytest.CollectReport(collector.nodeid, "failed", str(exc), []))
            return
        items[:0] = added
        # Reported like any collected node, so "collected N items" counts them.
        config.hook.pytest_collectreport(
            report=pytest.CollectReport(collector.nodeid, "passed", None, list(added)))

    def pytest_terminal_summary(self, terminalreporter: Any, config: pytest.Config) -> None:
        cache = config.stash[_AUDIT_KEY]
        if not cache.ran:
            return
        result = cache.result()
        if result.errors:
            return  # the collection error says what could not be checked; no tally
        items = [item for section in result.sections for item in section.items]
        passed = sum(item.status == "passed" for item in items)
        terminalreporter.write_sep("-", "phase12")
        terminalreporter.write_line(f"Phase 12 checklist: {passed} of {len(items)} items passed "
                                    f"({result.files_checked} files checked)")
        if result.suppressed:
            counts = ", ".join(f"{code} x{count}" for code, count in result.suppressed)
            terminalreporter.write_line(f"  suppressed in the code (# noqa, # pylint: disable): "
                                        f"{counts}")
        for item in result.unchecked_items:
            terminalreporter.write_line(f"  not verified: §{item.section} {item.title}: {item.reason}")


class Phase12Collector(pytest.Collector):
    """The parent of the checklist items, so their node ids read `phase12::...`.

    The audit runs when the items are collected: what kept a check from running (an unreadable
    path, a contract that cannot be checked, a broken baseline) is one collection error naming
    it, and pytest stops ("Interrupted: 1 error during collection", exit 2) rather than reporting
    items whose verdict nothing verified."""

    def collect(self) -> list[pytest.Item]:
        from flake8_phase12.audit.checklist import SECTIONS
        from flake8_phase12.audit.model import SectionResult

        try:
            result = self.config.stash[_AUDIT_KEY].result()
        except Phase12ConfigurationError as exc:
            raise self.CollectError(str(exc)) from None
        if result.errors:
            raise self.CollectError("phase12: the checklist could not be verified: "
                                    + "\n  ".join(result.errors))
        items: list[pytest.Item] = []
        for number in SECTIONS:
            slug = SectionResult(number=number, items=()).slug
            items.append(SectionItem.from_parent(self, name=slug, number=number))
        items += self._contract_items()
        if result.problems:
            # Files no rule could check (GOV001): the audit's exit 1, here a failing item.
            items.append(FilesNotCheckedItem.from_parent(self, name=FILES_NOT_CHECKED))
        return items

    def _contract_items(self) -> list[pytest.Item]:
        from flake8_phase12.audit.contracts import (
            ContractsConfigError,
            contract_label,
            read_contracts_config,
        )
        from flake8_phase12.audit.core import load_audit_config
        from flake8_phase12.audit.model import slugify
        from flake8_phase12.config import ConfigError

        cache = self.config.stash[_AUDIT_KEY]
        try:
            root = load_audit_config(cache.target).project_root.resolve()
            contracts = read_contracts_config(root)
        except (ConfigError, ContractsConfigError):
            return []  # the section items report the configuration error
        if contracts is None:
            return []
        items: list[pytest.Item] = []
        seen: set[str] = set()
        for options in contracts.contracts_options:
            identifier, name = contract_label(options)
            slug = slugify(identifier or name)
            while slug in seen:
                slug += "-2"
            seen.add(slug)
            items.append(ContractItem.from_parent(self, name=f"contract-{slug}",
                                                  contract_id=identifier, contract_name=name))
        return items


class _Phase12Item(pytest.Item):  # pylint: disable=abstract-method
    """The base of the checklist's items: each kind defines `runtest`; this one shows the
    evidence of a failure instead of a traceback."""

    def _audit(self) -> AuditResult:
        return self.config.stash[_AUDIT_KEY].result()

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, Phase12Failure):
            return EvidenceRepr(excinfo.value.lines)
        if isinstance(excinfo.value, Phase12ConfigurationError):
            return EvidenceRepr([f"E   {excinfo.value}"])
        return super().repr_failure(excinfo)

    def _where(self, finding: AuditFinding, result: AuditResult) -> str:
        from flake8_phase12.audit.paths import relative_to

        if not finding.path:
            return "<project>"
        shown = relative_to(finding.path, result.project_root, self.config.invocation_params.dir)
        return f"{shown}:{finding.line}:{finding.col + 1}" if finding.line else shown

    def _evidence(self, finding: AuditFinding, result: AuditResult) -> list[str]:
        lines = [f"E       {self._where(finding, result)}: {finding.message}"]
        lines += [f"E           {line}" for line in finding.evidence]
        return lines


class SectionItem(_Phase12Item):
    """One checklist section as a test item: passes when the audit finds the section complete."""
    def __init__(self, *, number: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.number = number

    def runtest(self) -> None:
        result = self._audit()
        section = result.section(self.number)
        if section.status == "passed":
            return
        if section.status == "unchecked":
            if any(item.status == "passed" for item in section.items):
                return  # what could be verified holds; the summary lists the rest
            reasons = "; ".join(f"{item.title}: {item.reason}" for item in section.items)
            pytest.skip(f"Phase 12 §{self.number} not verified: {reasons}")
        lines = [f"Phase 12 §{section.number} {section.title} does not hold "
                 f"({len(section.failed_items)} of {len(section.items)} items failed)"]
        for item in section.items:
            if item.status == "failed":
                lines.append(f"  ✘ {item.title}")
                for finding in item.findings:
                    lines += self._evidence(finding, result)
        for contract in section.contracts:
            if contract.status == "error":
                lines.append(f"E   import contract '{contract.name}' could not be checked: "
                             f"{contract.message}")
        raise Phase12Failure(lines)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        from flake8_phase12.catalog import SECTION_TITLES

        return self.path, None, f"phase12 §{self.number} {SECTION_TITLES[self.number]}"


class ContractItem(_Phase12Item):
    """One import-linter contract of the layer chain as a test item: passes when the contract is kept."""
    def __init__(self, *, contract_id: str, contract_name: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.contract_id = contract_id
        self.contract_name = contract_name

    def runtest(self) -> None:
        result = self._audit()
        for contract in result.contracts:
            if (contract.id, contract.name) == (self.contract_id, self.contract_name):
                break
        else:
            raise Phase12Failure([f"E   import contract '{self.contract_name}' did not run: "
                                  + "; ".join(result.errors or ("see the audit's notes",))])
        if contract.status == "kept":
            return
        if contract.status == "error":
            raise Phase12Failure([f"E   {contract.message}"])
        lines = [f"Import contract '{contract.name}' ({contract.type}) is broken "
                 f"(Phase 12 §{contract.section})"]
        for finding in contract.findings:
            lines += self._evidence(finding, result)
        raise Phase12Failure(lines)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"phase12 import contract '{self.contract_name}'"


class FilesNotCheckedItem(_Phase12Item):
    """Present only when files could not be checked (GOV001, GOV000): fails with them, since no
    section can vouch for what no rule looked at."""

    def runtest(self) -> None:
        result = self._audit()
        lines = [f"{len(result.problems)} file{'s' if len(result.problems) != 1 else ''} could "
                 f"not be checked by the Phase 12 rules"]
        for finding in result.problems:
            lines += self._evidence(finding, result)
        raise Phase12Failure(lines)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, "phase12 files not checked"


class EvidenceRepr:
    """The failure text, with the evidence lines red and bold like pytest's own `E` lines."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines

    def toterminal(self, tw: Any) -> None:
        for line in self.lines:
            if line.startswith("E "):
                tw.line(line, red=True, bold=True)
            else:
                tw.line(line)

    def __str__(self) -> str:
        return "\n".join(self.lines)
