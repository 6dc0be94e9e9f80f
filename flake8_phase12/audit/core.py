"""`run_audit`: every check on a codebase, then the checklist filled in with the evidence.

The checks are the shared ones, never re-implemented: the file rules through
`flake8_phase12.lint_file` (the same engine flake8 and pylint use), the project's import-linter
contracts, the Phase 11 compatibility check of `flake8_phase12.compat`, the required tests and
the configured test command. Their findings pass through the baseline (if any), are routed to
the checklist items of `flake8_phase12.audit.checklist`, and each item is passed, failed or
"not verified" (nothing could check it here).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flake8_phase12.analysis.context import module_matches
from flake8_phase12.audit import checklist
from flake8_phase12.audit.checklist import Item
from flake8_phase12.audit.compat import run_compat
from flake8_phase12.audit.contracts import ContractsOutcome, run_contracts
from flake8_phase12.audit.files import SourceFile, base_directory, check_files, discover
from flake8_phase12.audit.model import (
    AuditFinding,
    AuditResult,
    BaselineSummary,
    ContractResult,
    ItemResult,
    SectionResult,
)
from flake8_phase12.audit.required_tests import RequiredTest, check_required_tests
from flake8_phase12.audit.rules import MISSING_TEST_RULES, UNREADABLE_FILE
from flake8_phase12.audit.suppression import apply_suppressions
from flake8_phase12.audit.phase11_suite import DEFAULT_TIMEOUT, start_test_command
from flake8_phase12.baseline import Baseline, baseline_path, covers, is_file_finding, load_baseline
from flake8_phase12.catalog import Rule
from flake8_phase12.config.loader import ConfigError, load_config
from flake8_phase12.config.model import Config
from flake8_phase12.rule_index import all_rules, find_rule

ROLES = ("runner", "envelope", "registry", "api", "service:plugin_management",
         "service:job_management", "service:analysis")
CONTRACT_CODES = frozenset({"GOV180", "GOV680", "GOV681", "GOV682"})
COMMAND_CODE = "GOV890"
MISSING_TEST_CODES = frozenset(rule.code for rule in MISSING_TEST_RULES)


@dataclass(frozen=True)
class AuditOptions:
    """How `phase12 audit` runs: workers, the test command, the baseline, what to include."""
    # Worker processes for the file rules; 0: one per CPU when the codebase is large.
    jobs: int = 0
    run_test_command: bool = True
    test_timeout: float = DEFAULT_TIMEOUT
    # An explicit baseline file; None: `[tool.phase12] baseline`, else `.phase12-baseline.json`
    # in the project root when it exists.
    baseline: str | None = None
    use_baseline: bool = True
    # Items nothing could verify make the verdict "not complete" (the checklist's own rule).
    strict: bool = True
    # A compat source overriding `[tool.phase12.compat] against`.
    against: str | None = None
    # Why a configured test command was not run (shown on the item it verifies).
    command_reason: str = "not checked: the test command was not run (--no-test-command)"
    stage: Callable[[str], None] | None = None
    file_progress: Callable[[int, int], None] | None = None


@dataclass
class _Collected:
    file_findings: list[AuditFinding]
    files: list[SourceFile]
    contracts: ContractsOutcome
    required: list[RequiredTest]
    test_findings: list[AuditFinding]
    compat_ran: bool
    compat_findings: tuple[AuditFinding, ...]
    command_ran: bool
    command_findings: list[AuditFinding]
    errors: list[str]
    notes: list[str]
    # Why the configured test command could not start here ('' when it ran or was not run).
    command_unavailable: str = ""
    # Why the Phase 11 comparison could not run although a source is set ('' when it ran).
    compat_error: str = ""


def load_audit_config(target: Path, config_file: str | None = None) -> Config:
    if not target.exists():
        raise ConfigError(f"{target}: no such file or directory")
    return load_config(config_file) if config_file else load_config(start=target.resolve())


def run_audit(target: str | Path, config: Config | None = None,
              options: AuditOptions = AuditOptions()) -> AuditResult:
    """Audit the codebase at `target`. Raises `ConfigError` for a broken `[tool.phase12]`."""
    target = Path(target)
    config = config if config is not None else load_audit_config(target)
    project_root = config.project_root.resolve()
    collected = _collect(target, project_root, config, options)
    return _assemble(target, project_root, config, options, collected)


def _collect(target: Path, project_root: Path, config: Config, options: AuditOptions) -> _Collected:
    stage = options.stage or (lambda message: None)
    notes: list[str] = []
    # The test command (often the slowest part) runs in the background while the audit's own
    # checks run in this process.
    running = None
    if config.tests.command and options.run_test_command:
        stage(f"starting the test command: {config.tests.command}")
        running = start_test_command(config.tests.command, project_root, options.test_timeout)
    elif config.tests.command:
        notes.append(f"test command not run (skipped): {config.tests.command}")
    else:
        notes.append("no test command configured ([tool.phase12.tests] command): the Phase 11 "
                     "suite was not run")
    try:
        collected = _run_checks(target, project_root, config, options, stage)
    except BaseException:
        if running is not None and running.process is not None:
            running.process.kill()
        raise
    collected.notes[:0] = notes
    if running is not None:
        stage("waiting for the test command")
        outcome = running.wait()
        collected.command_ran = outcome.ran
        collected.command_findings = [outcome.finding] if outcome.finding else []
        collected.command_unavailable = outcome.unavailable
        if outcome.error:
            collected.errors.append(outcome.error)
    return collected


def _run_checks(target: Path, project_root: Path, config: Config, options: AuditOptions,
                stage: Callable[[str], None]) -> _Collected:
    errors: list[str] = []
    notes: list[str] = []
    stage("finding files")
    discovery = discover(target, project_root, config)
    files = discovery.files
    errors += discovery.unreadable
    if not files and not discovery.unreadable:
        errors.append(_nothing_to_check(target, config))
    stage(f"checking {len(files)} files")
    file_findings, unreadable_files = check_files(files, config, jobs=max(0, options.jobs),
                                                  progress=options.file_progress)
    errors += unreadable_files
    stage("checking import contracts")
    # Files the file rules could not parse are left out of the import graph too.
    broken = frozenset((project_root / finding.path).resolve() for finding in file_findings
                       if finding.code == UNREADABLE_FILE.code and finding.path)
    contracts = run_contracts(project_root, config, broken)
    file_findings += contracts.findings
    errors += contracts.errors
    notes += contracts.notes
    stage("looking for the required tests")
    required, test_findings, unreadable_tests = check_required_tests(project_root, config)
    errors += unreadable_tests
    if options.against is not None or config.compat.against:
        stage("checking Phase 11 compatibility")
    compat = run_compat(project_root, config, options.against)
    notes += compat.notes
    if compat.error:
        errors.append(compat.error)
    return _Collected(file_findings, files, contracts, required, test_findings, compat.ran,
                      compat.findings, False, [], list(dict.fromkeys(errors)), notes,
                      compat_error=compat.error)


def _nothing_to_check(target: Path, config: Config) -> str:
    """A run that checked no file verified nothing: say why, rather than pass or fail items."""
    excluded = ", ".join(config.all_excludes) or "nothing"
    return (f"{target.resolve()}: no Python file to check there (excluded: {excluded}); give the directory "
            f"of the code, or change [tool.phase12] exclude")


def _assemble(target: Path, project_root: Path, config: Config, options: AuditOptions,
              collected: _Collected) -> AuditResult:
    contract_findings = [f for result in collected.contracts.results for f in result.findings]
    everything = sorted(
        [*collected.file_findings, *contract_findings, *collected.test_findings,
         *collected.compat_findings, *collected.command_findings],
        key=AuditFinding.sort_key)
    suppressed = apply_suppressions(everything, base_directory(target, project_root))
    reported, summary, errors = _apply_baseline(suppressed.reported, target, project_root, config,
                                                options)
    problems = tuple(finding for finding in reported if finding.section == 0)
    checklist_findings = [finding for finding in reported if finding.section != 0]
    routed: dict[str, list[AuditFinding]] = {}
    for finding in checklist_findings:
        routed.setdefault(route(finding, config).title, []).append(finding)
    evidence = _Evidence(config, collected, options)
    sections = tuple(
        SectionResult(
            number=number,
            items=tuple(evidence.item_result(item, routed.get(item.title, []))
                        for item in checklist.items_of(number)),
            contracts=tuple(c for c in collected.contracts.results if c.section == number))
        for number in checklist.SECTIONS)
    return AuditResult(
        project_root=str(project_root), config_source=config.source, target=str(target),
        files_checked=len(collected.files), sections=sections,
        contracts=collected.contracts.results, problems=problems, baseline=summary,
        errors=tuple(collected.errors + errors), notes=tuple(collected.notes),
        strict=options.strict, suppressed=suppressed.counts)


def _apply_baseline(findings: list[AuditFinding], target: Path, project_root: Path, config: Config,
                    options: AuditOptions) -> tuple[list[AuditFinding], BaselineSummary | None, list[str]]:
    if not options.use_baseline:
        return findings, None, []
    path = baseline_path(project_root, config.baseline, options.baseline)
    if not (options.baseline or config.baseline) and not path.exists():
        return findings, None, []
    baseline: Baseline = load_baseline(path)  # BaselineError is a ConfigError: exit 2
    comparison = baseline.compare([(finding.fingerprint, finding) for finding in findings])
    # Entries of files outside an audited subdirectory were not looked for: not stale.
    prefix = _relative_or_absolute(target, project_root) if target.resolve() != project_root else ""
    stale = tuple((fingerprint, count) for fingerprint, count in comparison.stale
                  if not is_file_finding(fingerprint) or covers(prefix, fingerprint.path))
    shown = _relative_or_absolute(path, project_root)
    return comparison.new, BaselineSummary(shown, comparison.accepted, stale), []


def _relative_or_absolute(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)


def route(finding: AuditFinding, config: Config) -> Item:
    """The checklist item a finding is evidence against."""
    if finding.item:
        named = checklist.item_by_title(finding.item)
        if named is not None:
            return named
    rule = find_rule(finding.code)
    candidates = checklist.items_for_rule(rule) if rule is not None else ()
    if len(candidates) > 1 and finding.module:
        for item in candidates:
            if item.service and _module_is_service(finding.module, item.service, config):
                return item
    if candidates:
        return candidates[0]
    return checklist.items_of(finding.section)[0]


def _module_is_service(module: str, service: str, config: Config) -> bool:
    pattern = getattr(config.services, service).module
    return bool(pattern) and module_matches(module, (pattern,))


class _Evidence:
    """Which checks could speak for each item in this run."""

    def __init__(self, config: Config, collected: _Collected, options: AuditOptions) -> None:
        self.config = config
        self.options = options
        self.collected = collected
        self.unmatched = {role: self._unmatched(role) for role in ROLES}
        self.roles_found = {role for role in ROLES if not self.unmatched[role]}
        self.contract_codes_run = {result.code for result in collected.contracts.results
                                   if result.status in ("kept", "broken")}
        self.items_with_tests = {test.item for test in collected.required}
        self.contracts_by_code: dict[str, list[ContractResult]] = {}
        for result in collected.contracts.results:
            self.contracts_by_code.setdefault(result.code, []).append(result)

    def _unmatched(self, role: str) -> tuple[str, ...]:
        """The module patterns of a role that no audited file matches: all of them when the
        role is missing, or for the runner each role whose module is missing."""
        patterns = checklist.role_patterns(role, self.config)
        modules = [source.module for source in self.collected.files]
        unmatched = tuple(pattern for pattern in patterns
                          if not any(module_matches(module, (pattern,)) for module in modules))
        if checklist.every_pattern_needed(role) or len(unmatched) == len(patterns):
            return unmatched
        return ()

    def item_result(self, item: Item, findings: list[AuditFinding]) -> ItemResult:
        rules = rules_of(item)
        checks = self._checks(item, rules)
        base = {"section": item.section, "title": item.title, "checks": checks, "confirms": item.confirms}
        if findings:
            return ItemResult(**base, status="failed", findings=tuple(findings))
        missing = [role for role in item.roles
                   if checklist.role_patterns(role, self.config) and role not in self.roles_found]
        if missing:
            described = "; ".join(checklist.role_description(role, self.config, self.unmatched[role])
                                  for role in missing)
            return ItemResult(**base, status="unchecked",
                              reason=f"no file under the audited path has the role this item is "
                                     f"about ({described}): check the path or the configuration")
        if self._verified(item, rules):
            return ItemResult(**base, status="passed")
        return ItemResult(**base, status="unchecked", reason=self._unverified_reason(rules))

    def _verified(self, item: Item, rules: tuple[Rule, ...]) -> bool:
        codes = {rule.code for rule in rules}
        file_rules = any(rule.scope == "file" for rule in rules)
        return any((
            file_rules and bool(self.collected.files),
            bool(codes & self.contract_codes_run),
            item.title in self.items_with_tests,
            self.collected.compat_ran and any(code.startswith("GOV80") for code in codes),
            self.collected.command_ran and COMMAND_CODE in codes,
        ))

    def _unverified_reason(self, rules: tuple[Rule, ...]) -> str:
        codes = {rule.code for rule in rules}
        if any(code.startswith("GOV80") for code in codes):
            if self.collected.compat_error:
                return f"not verified: the comparison with Phase 11 could not run: " \
                       f"{self.collected.compat_error}"
            return "not checked: set [tool.phase12.compat] against (a git ref, a directory or a " \
                   "`phase12 snapshot` file) to compare with Phase 11"
        if COMMAND_CODE in codes:
            if self.collected.command_unavailable:
                return (f"not verified: the test command `{self.config.tests.command}` could not "
                        f"start: {self.collected.command_unavailable}")
            if self.config.tests.command:
                return self.options.command_reason
            return "not checked: set [tool.phase12.tests] command (e.g. \"pytest server/tests/phase_11\")"
        if codes & CONTRACT_CODES:
            return "not checked: no import contract of this kind ran"
        if not self.collected.files:
            return "not checked: no Python file under the audited path"
        return "not checked: no rule of this package checks this item yet"

    def _checks(self, item: Item, rules: tuple[Rule, ...]) -> tuple[str, ...]:
        described = []
        for rule in rules:
            if rule.code in CONTRACT_CODES:
                for contract in self.contracts_by_code.get(rule.code, []):
                    described.append(f"import contract '{contract.name}' ({rule.code})")
            elif rule.code in MISSING_TEST_CODES:
                continue  # required tests are listed by name below
            else:
                described.append(f"{rule.code} {rule.symbol}")
        described += [f"test {test.name}" for test in self.collected.required
                      if test.item == item.title]
        return tuple(dict.fromkeys(described))


def rules_of(item: Item) -> tuple[Rule, ...]:
    return tuple(rule for rule in all_rules() if item in checklist.items_for_rule(rule))
