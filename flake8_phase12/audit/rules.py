"""The records of the project rules the audit itself finds (`phase12 audit`, the pytest plugin).

They need the whole codebase at once: the import contracts (GOV180, GOV680-GOV682; found by
`audit.contracts`), the tests the checklist names (GOV190-GOV790, GOV891; `audit.required_tests`),
the configured test command (GOV890; `audit.phase11_suite`), and files the audit cannot read
(GOV001; `audit.files`).

One leaf module beside those, rather than each record inside its module: the rule catalog
(`rule_index.all_rules`) must list these rules too, and the catalog sits below the audit, which
reads it (`audit.model`, `audit.core` and the SARIF report look rules up by code; so does the
baseline, below the audit, on flake8's and pylint's path). `audit.contracts` and the others import
`audit.model`, hence the catalog, so the catalog cannot import them back. This module imports
only `catalog`, so `rule_index` may import it from below: setup.cfg lets exactly that one import
through the layers contract and forbids this module any import that would lead back up (contract
`project-rule-records-are-leaves`); the package's `__init__` imports its public names on first
use, so importing this module loads nothing else of the audit.
"""

from __future__ import annotations

from flake8_phase12.catalog import SECTION_TITLES, Rule

UNREADABLE_FILE = Rule(
    code="GOV001",
    symbol="unreadable-file",
    section=0,
    title="A Python file the audit cannot decode or parse",
    message="cannot check this file: {reason}; fix it, or exclude it with [tool.phase12] "
            "extend-exclude, so the Phase 12 rules can check it",
    scope="project",
    docs="""
    ## What it does
    Reports a `.py` file under the audited path that `phase12 audit` cannot check: it is not
    valid Python (a syntax error, null bytes) or its bytes do not decode with its declared or
    default encoding. The finding names the file and, for a syntax error, the line. The other
    checks still run without it; excluding the file (`extend-exclude`) takes it out of every
    check, the import contracts' graph included.

    A file or directory that cannot be read at all (no permission, a link to nothing) is not a
    finding but an error of the audit naming the path: the verdict is then "not verified"
    (exit 2), because nothing could look at what it holds.

    ## Why is this bad?
    The audit's verdict covers every file it was asked to check. A file it cannot parse is a file
    no rule has looked at, so a violation in it would go unnoticed; the verdict therefore cannot be
    "complete" while such a file exists.

    ## Example
    ```python
    # server/app/services/tool_runner.py
    def run(self, name, payload)
        ...
    ```

    ## Use instead
    ```python
    def run(self, name, payload):
        ...
    ```
    A file that is deliberately not Python (a template, a fixture) belongs in
    `[tool.phase12] extend-exclude`.
    """,
)

# ---------------------------------------------------------------------------------------------
# Import contracts (import-linter, including the `import_contracts` package's own types)
# ---------------------------------------------------------------------------------------------

PLUGIN_GATEWAY_CONTRACT_BROKEN = Rule(
    code="GOV180",
    symbol="plugin-import-outside-runner",
    section=1,
    title="Plugin code reached by an import that does not go through the runner",
    message="`{importer}` imports `{imported}` {description}, breaking import contract "
            "'{contract}': only {gateway} may import it; {hint}",
    scope="project",
    docs="""
    ## What it does
    Runs the project's import-linter contracts whose gateway is the runner: a `sole_gateway`
    contract (from `import_contracts`) or a built-in `protected` contract whose allowed importers
    are a runner module (`runner.module`, `tool_runner` by default, or the module of one of
    `runner.also`). Each import of the
    protected modules (usually the plugins package) that does not come from the runner is one
    finding, at the importing line, with the whole import chain as evidence.

    The contracts are read from the project's own import-linter configuration (`setup.cfg`,
    `.importlinter` or `pyproject.toml`) and evaluated in-process on grimp's import graph, which
    parses the code and never imports it.

    ## Why is this bad?
    Code that can import a plugin can execute it. If only the runner imports the plugins, a direct
    `plugin.run(...)` elsewhere is impossible by construction, not just absent today, and the
    runner stays the only execution entry point of the checklist's section 1.

    ## Example
    ```python
    # server/app/services/job_management_service.py
    from server.app.plugins.ocr import OcrPlugin
    ```

    ## Use instead
    ```python
    # server/app/services/job_management_service.py: ask the next layer to run it
    result = self._plugin_mgmt.execute_plugin("ocr", payload)
    ```
    """,
)

LAYER_CONTRACT_BROKEN = Rule(
    code="GOV680",
    symbol="layer-contract-broken",
    section=6,
    title="An import against the layer chain (upward, or skipping a layer)",
    message="`{importer}` imports `{imported}` {description}, breaking import contract "
            "'{contract}'; {hint}",
    scope="project",
    docs="""
    ## What it does
    Runs the project's layer contracts (`strict_layers` from `import_contracts`, or import-linter's
    built-in `layers`) and reports each illegal dependency: a lower layer importing a higher one,
    or (strict layers) a layer importing past the layer directly below it, e.g. the API importing
    the job manager instead of going through the analysis service. The finding sits at the
    importing line of the first module in the chain; the chain is the evidence.

    A finding is listed under the checklist item of the service whose module does the importing
    (plugin management, job management or analysis service); other importers go to the first item.

    ## Why is this bad?
    Section 6 requires each service to delegate only to the next one: API -> AnalysisService ->
    JobManagementService -> PluginManagementService -> ToolRunner. An import that skips a layer
    is how that chain erodes: once the API can see the runner, nothing stops it from calling it.

    ## Example
    ```python
    # server/app/services/analysis_service.py
    from server.app.services.plugin_management_service import PluginManagementService
    ```

    ## Use instead
    ```python
    # server/app/services/analysis_service.py
    from server.app.services.job_management_service import JobManagementService
    ```
    """,
)

GATEWAY_CONTRACT_BROKEN = Rule(
    code="GOV681",
    symbol="gateway-contract-broken",
    section=6,
    title="A module reached without going through its only allowed importer",
    message="`{importer}` imports `{imported}` {description}, breaking import contract "
            "'{contract}': only {gateway} may import it; {hint}",
    scope="project",
    docs="""
    ## What it does
    Runs the project's gateway contracts whose gateway is not the runner: a `sole_gateway`
    contract (from `import_contracts`) or a built-in `protected` contract, such as "only the
    plugin management service may import the runner". Each import of a protected module from
    outside its gateway is one finding, at the importing line, with the chain as evidence.

    ## Why is this bad?
    The delegation chain of section 6 holds only if each layer is reachable from the layer above
    it alone. A second importer of the runner is a second way to execute plugins, one that can
    skip the plugin management service's bookkeeping.

    ## Example
    ```python
    # server/app/services/job_management_service.py
    from server.app.services.tool_runner import ToolRunner
    ```

    ## Use instead
    ```python
    # server/app/services/job_management_service.py
    from server.app.services.plugin_management_service import PluginManagementService
    ```
    """,
)

IMPORT_CONTRACT_BROKEN = Rule(
    code="GOV682",
    symbol="import-contract-broken",
    section=6,
    title="Another import-linter contract of the project is broken",
    message="import contract '{contract}' ({contract_type}) is broken: {description}; "
            "fix the import (or the contract), `lint-imports` prints the full report",
    scope="project",
    docs="""
    ## What it does
    Runs every other contract of the project's import-linter configuration (`forbidden`,
    `independence`, `acyclic_siblings` or a custom type) with the audit, so one command answers
    for all of them. Each illegal import chain is one finding at its first importing line;
    a contract whose metadata the audit does not know is one finding on the configuration file.

    ## Why is this bad?
    A codebase's import contracts encode its architecture. The audit reports them beside the
    checklist so a broken contract is not missed because it lives in another tool's output.

    ## Example
    ```ini
    [importlinter:contract:plugins-independent]
    name = Plugins are independent of each other
    type = independence
    modules = server.app.plugins.*
    ```
    with `server/app/plugins/ocr.py` importing `server.app.plugins.metadata`.

    ## Use instead
    Move what both plugins need into a shared module below them (for example
    `server/app/plugins/base.py`) and import it from there.
    """,
)

# ---------------------------------------------------------------------------------------------
# Required tests: one rule per section, because each section names its own tests
# ---------------------------------------------------------------------------------------------

_MISSING_TEST_EXAMPLES = {
    1: ("test_no_direct_plugin_run_calls.py", "no module but the runner calls `plugin.run(`"),
    2: ("test_input_validation.py", "empty images, missing or invalid MIME types and undecodable "
                                    "payloads are rejected with an error envelope"),
    3: ("test_output_validation.py", "a plugin returning None or a non-dict gets an error "
                                     "envelope"),
    4: ("test_error_envelope_structure.py", "the envelope has error.type, error.message, "
                                            "error.details, error.plugin, error.timestamp and "
                                            "_internal.traceback"),
    5: ("test_registry_metrics_not_updated_yet.py",
        "success and error counts, timings, last_used and state are updated"),
    6: ("test_job_management_uses_plugin_management.py", "each service calls only the next layer"),
    7: ("test_analyze_endpoint_phase12_contract.py", "the endpoint returns `{result, plugin}` "
                                                     "or HTTP 400 with the error"),
    8: ("test_phase11_surface.py", "the Phase 11 behaviour is unchanged"),
}

_MISSING_TEST_SYMBOLS = {
    1: "missing-execution-path-test",
    2: "missing-input-validation-test",
    3: "missing-output-validation-test",
    4: "missing-error-handling-test",
    5: "missing-registry-metrics-test",
    6: "missing-service-delegation-test",
    7: "missing-api-contract-test",
    8: "missing-compatibility-test",
}


def _missing_test_rule(section: int) -> Rule:
    example, behaviour = _MISSING_TEST_EXAMPLES[section]
    title = SECTION_TITLES[section]
    code = f"GOV{section}90" if section != 8 else "GOV891"
    return Rule(
        code=code,
        symbol=_MISSING_TEST_SYMBOLS[section],
        section=section,
        title=f"A test the checklist requires for section {section} ({title}) is missing",
        message="required test `{name}` is missing under {root}; add it (the checklist names it "
                "for this item), or set [tool.phase12.tests] required to the name your suite uses",
        scope="project",
        docs=f"""
        ## What it does
        Looks for each file named in `[tool.phase12.tests] required` (by default the tests the
        checklist names) anywhere below `[tool.phase12.tests] root`, and reports each one that
        does not exist. Test directories are searched even though the file rules exclude them.
        This rule covers the required tests of section {section} ({title}), for example
        `{example}`.

        A configured name is placed in a section by the checklist's own names first, then by
        keywords in the name (`input` is section 2, `envelope` section 4, ...); write it as
        `"{section}:name.py"` to choose the section yourself.

        ## Why is this bad?
        The static rules show that the code has the right shape; the checklist's tests show
        that it behaves: {behaviour}.
        Without the test, a regression in behaviour would pass the audit.

        ## Example
        ```text
        server/tests/          (no {example})
        ```

        ## Use instead
        ```text
        server/tests/phase_12/{example}
        ```
        """,
    )


MISSING_TEST_RULES = tuple(_missing_test_rule(section) for section in range(1, 9))

TEST_COMMAND_FAILED = Rule(
    code="GOV890",
    symbol="phase11-tests-failing",
    section=8,
    title="The configured test command (the Phase 11 suite) fails",
    message="the test command `{command}` {outcome}; make the Phase 11 tests pass again: "
            "Phase 12 must not break them",
    scope="project",
    docs="""
    ## What it does
    Runs `[tool.phase12.tests] command` (for example `pytest server/tests/phase_11`) in a
    subprocess in the project root, with a timeout (`phase12 audit --test-timeout`, 600 s by
    default), and reports a non-zero exit status or a timeout. The last lines of the command's
    output are the evidence. `phase12 audit --no-test-command` skips it; the pytest plugin never
    runs it, because the suite it belongs to is already running.

    The command is split like a shell command line (`shlex`) but run without a shell. A command
    that cannot start (its program is not found, or `python -m pytest` where pytest is not
    installed) is no finding: the item is "not verified", with that reason, since no Phase 11
    test ran.

    ## Why is this bad?
    Section 8 of the checklist: "All Phase 11 tests still pass. All must pass." A failing Phase 11
    test means Phase 12 changed behaviour that existing clients rely on.

    ## Example
    ```toml
    [tool.phase12.tests]
    command = "pytest server/tests/phase_11"   # exits with status 1
    ```

    ## Use instead
    Fix the change that broke the failing test (or, if the Phase 11 behaviour was itself a bug,
    agree the change and update the test in a reviewed commit of its own).
    """,
)

RULES = (
    UNREADABLE_FILE,
    PLUGIN_GATEWAY_CONTRACT_BROKEN,
    LAYER_CONTRACT_BROKEN,
    GATEWAY_CONTRACT_BROKEN,
    IMPORT_CONTRACT_BROKEN,
    *MISSING_TEST_RULES,
    TEST_COMMAND_FAILED,
)


def missing_test_rule(section: int) -> Rule:
    """The missing-required-test rule of a checklist section (1-8)."""
    return MISSING_TEST_RULES[section - 1]
