"""GOV505-GOV507: the registry's metrics function maintains every metric (checklist §5,
registry side; the runner side is `metrics`).

The registry module is `metrics.registry_module` (`plugin_registry` by default); the metrics
function is `metrics.function` (`update_execution_metrics`), at module level or as a method.
Same-file helpers it calls (`self._touch(record)`, module functions) are read as part of it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cached_property

from flake8_phase12.analysis.bookkeeping import (
    CONSTANT,
    INCREMENT,
    OUTCOMES,
    Bookkeeping,
    ConstantOutcome,
    Decision,
    Returned,
    TooComplex,
    Pair,
    Write,
    could_write,
    last_state,
    own_counters,
    pair_of,
)
from flake8_phase12.analysis.classes import Classes, is_context_manager
from flake8_phase12.analysis.context import FileContext, Finding
from flake8_phase12.analysis.flow import (
    ControlFlow,
    FlowTooLarge,
    FunctionNode,
    LocalFunctions,
)
from flake8_phase12.analysis.local import walk_local
from flake8_phase12.analysis.names import is_declaration, is_protocol_class, string_constant
from flake8_phase12.analysis.outcome import (
    FAILURE,
    SUCCESS,
    member_of,
    opposite,
    outcome_parameters,
)
from flake8_phase12.analysis.registry_shape import (
    after_unguarded_yield,
    recording_call,
    unguarded_lookup,
)
from flake8_phase12.analysis.roles import is_registry_module
from flake8_phase12.analysis.runner import called_name, describe_call
from flake8_phase12.catalog import Rule
from flake8_phase12.config.model import Config
from flake8_phase12.rules import Check
from flake8_phase12.rules.metrics import (
    METRICS_OUTCOME_MISREPORTED,
    METRICS_UPDATE_OUTSIDE_FINALLY,
    state_fields,
    unknown_states,
)

REGISTRY_METRICS_FUNCTION_MISSING = Rule(
    code="GOV505",
    symbol="registry-metrics-function-missing",
    section=5,
    title="Registry has no metrics update function",
    message="the registry module defines no {metrics}(...); add it and update the execution "
            "metrics ({fields}) there",
    docs="""
    ## What it does
    Flags a registry module (`metrics.registry_module`, `plugin_registry` by default) that
    neither defines nor imports the metrics function (`metrics.function`,
    `update_execution_metrics` by default). Reported on the registry class (the first class
    whose name ends in `Registry`), else on the module's first statement.

    ## Why is this bad?
    The runner calls the metrics function after every execution. Without it in the registry
    there is nothing to call, and the Phase 12 metrics are never maintained.

    ## Example
    ```python
    class PluginRegistry:
        def get(self, name): ...
    ```

    ## Use instead
    ```python
    class PluginRegistry:
        def get(self, name): ...

        def update_execution_metrics(self, plugin_name, *, success, duration_ms):
            ...
    ```
    """,
)

REGISTRY_METRIC_NOT_UPDATED = Rule(
    code="GOV506",
    symbol="registry-metric-not-updated",
    section=5,
    title="Metrics function never updates a metric, or not for every outcome",
    message="{what}; {fix}",
    docs="""
    ## What it does
    Reads the registry's metrics function once for a successful execution and once for a
    failed one (its outcome parameter, `success`, `ok` or an outcome enum, bound to each in
    turn; see `flake8_phase12.analysis.bookkeeping`) and flags:
    - a metric it never updates: `metrics.success_field` (`success_count`),
      `metrics.error_field` (`error_count`) and `metrics.fields` (`last_execution_time_ms`,
      `avg_execution_time_ms`, `last_used`, `state`), once per field;
    - a metric other than the counters updated for one outcome only (`last_used` set only
      when the execution succeeded);
    - a `return` taken because of the outcome before the failure (or the success) is counted
      (`if entry is None or not ok: return`);
    - a state that does not follow the outcome: set to the success state when the execution
      failed (or the other way round), or chosen by something else than the outcome
      (`state = SUCCEEDED if entry.ok_count else FAILED`).

    An update is an assignment or augmented assignment to `x.field` or `x["field"]`,
    `setattr(x, "field", ...)`, `x.update(field=...)`, `replace(x, field=...)`, a dict literal
    or constructor call with that key or keyword, or a value appended to a buffer that a
    property of that name reads (`last_execution_time_ms` computed from `self.durations`).
    The function is read with the same-file helpers it calls, including the methods of the
    file's record classes called on a record (`entry.mark_ok()`, `stats.observe(ms, ok)`).

    The rule stays silent about a field that a call it cannot read might update: a method of
    an object defined in another module (a lifecycle object's `settle(ok)`), fields written
    under a computed name (`setattr(x, name, ...)`, `x.update(**changes)`); and, when the
    module names neither configured counter while the function writes fields the
    configuration does not list, about each configured field the module never names: the
    configuration then does not use this codebase's names (configure `metrics.success_field`,
    `metrics.error_field` and `metrics.fields` with them). The success state
    is the configured state whose name says so (`SUCCESS`), or the one written together with
    the success counter (`mark_ok()` setting `HEALTHY`).

    A metrics function that takes no outcome and counts one outcome only is read together
    with the public sibling that counts the other (`record_success` / `record_failure`), each
    for its outcome. Outside the registry module, a state machine's method that receives the
    outcome (in a module naming every configured state) is checked for the last point alone.

    ## Why is this bad?
    The checklist requires all six metrics to be maintained on every execution; a field that
    is never written, or written only after successes, keeps a stale value and misleads
    whoever reads the registry. A state that ignores the latest outcome reports a failing
    plugin as healthy.

    ## Example
    ```python
    def update_execution_metrics(self, plugin_name, *, success, duration_ms):
        record = self._records.get(plugin_name)
        if record is None or not success:
            return
        record.success_count += 1
        record.last_used = _utcnow()
        record.state = PluginState.SUCCESS
    ```

    ## Use instead
    ```python
    def update_execution_metrics(self, plugin_name, *, success, duration_ms):
        record = self._records.get(plugin_name)
        if record is None:
            return
        if success:
            record.success_count += 1
        else:
            record.error_count += 1
        runs = record.success_count + record.error_count
        previous = record.avg_execution_time_ms or 0.0
        record.avg_execution_time_ms = previous + (duration_ms - previous) / runs
        record.last_execution_time_ms = duration_ms
        record.last_used = _utcnow()
        record.state = PluginState.SUCCESS if success else PluginState.ERROR
    ```
    """,
)

REGISTRY_COUNTER_UNCONDITIONAL = Rule(
    code="GOV507",
    symbol="registry-counter-unconditional",
    section=5,
    title="Success or error counter does not follow the outcome",
    message="{what}; {fix}",
    docs="""
    ## What it does
    Flags a success or error counter of the metrics function that does not count the
    outcomes it stands for:
    - an increment that runs on every path through the function that returns normally, or
      on the same path as the other counter's increment;
    - an inverted test: the success counter incremented when the execution failed, or the
      error counter when it succeeded (`if not ok: entry.ok_count += 1`), reported once, on
      the test;
    - a counter set to a constant instead of incremented (`entry.ok_count = 1`), when it is
      never incremented anywhere in the function.

    Increments are `x.field += <number>`, `x["field"] += <number>` and
    `x.field = x.field + <number>`. The outcome is read as GOV506 reads it (the outcome
    parameter bound to success and to failure, same-file helpers followed); a test the
    outcome does not decide, or a parameter whose meaning cannot be told, is left alone.
    When the module names neither configured counter (a configuration that does not use
    this codebase's names), the counters are the fields the function increments whose names
    say what they count (`ok_count`, `failed_runs`), if there is exactly one of each.

    ## Why is this bad?
    A counter that moves on every execution, on the wrong outcome, or that is reset to 1
    counts nothing useful: the registry then reports failures as successes or the other way
    round.

    ## Example
    ```python
    if not success:
        record.success_count += 1
    else:
        record.error_count = 1
    ```

    ## Use instead
    ```python
    if success:
        record.success_count += 1
    else:
        record.error_count += 1
    ```
    """,
)

REGISTRY_LOOKUP_RAISES = Rule(
    code="GOV508",
    symbol="registry-metrics-lookup-raises",
    section=5,
    title="Metrics function raises for a plugin that is not registered",
    message="`{lookup}` raises KeyError for a plugin that is not registered, and the metrics "
            "update runs after every execution, a failed lookup's included (the runner calls "
            "it in its `finally`), so the error escapes the runner; look the record up with "
            "`.get()` and skip unknown names",
    docs="""
    ## What it does
    Flags, in the registry's metrics function and the same-file helpers it calls, the first
    subscript of a mapping held by the registry (`self._records[plugin_name]`) keyed by a
    parameter or local name, when nothing guards it: no `in` / `not in` test of that key on
    that mapping in the function, no `try` catching `KeyError`, `LookupError` or `Exception`
    around it. The mapping must be a plain dict as far as the file shows (assigned `{}`,
    `dict()` or a comprehension, or annotated `dict[...]`/`Mapping[...]`): a `defaultdict`,
    a `Counter` or a mapping that comes from elsewhere is left alone.

    ## Why is this bad?
    The runner updates the metrics in its `finally`, after every execution, including those
    that failed because the plugin name was unknown. A lookup that raises there replaces the
    runner's error envelope with a raw `KeyError` (checklist §4 as well as §5).

    ## Example
    ```python
    def update_execution_metrics(self, plugin_name, *, success, duration_ms):
        record = self._records[plugin_name]
        ...
    ```

    ## Use instead
    ```python
    def update_execution_metrics(self, plugin_name, *, success, duration_ms):
        record = self._records.get(plugin_name)
        if record is None:
            return  # a failed lookup: nothing to record
        ...
    ```
    """,
)

RULES = (REGISTRY_METRICS_FUNCTION_MISSING, REGISTRY_METRIC_NOT_UPDATED,
         REGISTRY_COUNTER_UNCONDITIONAL, REGISTRY_LOOKUP_RAISES)

UPDATE_METHODS = frozenset({"update", "replace", "_replace", "evolve"})
LOOPS = (ast.For, ast.AsyncFor, ast.While)
OUTCOME_WORDS = {SUCCESS: "succeeded", FAILURE: "failed"}


class RegistryMetricsCheck(Check):
    """GOV505-GOV508 (and GOV502, GOV509 inside the registry): the registry's metrics function
    maintains every metric, on every outcome, following the outcome."""
    rules = RULES

    def within_role(self, ctx: FileContext) -> bool:
        return is_registry_module(ctx)  # not a module that may hold the state machine

    def run(self, ctx: FileContext) -> Iterator[Finding]:
        config = ctx.config
        name = config.metrics.function
        functions = [node for node in ctx.nodes
                     if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
                     and node.name == name]
        if not functions:
            if not _provided(ctx.tree, name):
                anchor = _registry_anchor(ctx.tree)
                if anchor is not None:
                    yield ctx.finding(REGISTRY_METRICS_FUNCTION_MISSING, anchor, metrics=name,
                                      fields=", ".join(required_fields(config)))
            return
        reported: set[ast.AST] = set()  # a helper shared by two metrics functions: once
        for function in functions:
            if _is_stub(ctx, function):
                continue
            try:
                reading: Bookkeeping | Pair | None = Bookkeeping(ctx.tree, function, ctx.parents)
            except TooComplex:
                reading = None  # too large to read soundly: only the syntactic checks below
            pair = pair_of(ctx, function, reading) if reading is not None else None
            verdicts = _Verdicts(ctx, function, pair or reading, reported)
            yield from verdicts.lookups()
            yield from verdicts.after_yield()
            yield from verdicts.constant_outcomes()
            yield from verdicts.counters()
            try:
                if pair is None:  # each half of a pair counts one outcome on every call
                    yield from self._existing_counters(ctx, function, verdicts)
            except FlowTooLarge:
                pass  # too large to analyse soundly: say nothing rather than guess
            yield from verdicts.early_returns()
            yield from verdicts.fields()
            yield from verdicts.states()
            states = set(state_fields(config))
            for body in _with_helpers(ctx, function):
                for value in _state_values(body, states):
                    yield from unknown_states(ctx, value, config, strings=True)

    def _existing_counters(self, ctx: FileContext, function: FunctionNode,
                           verdicts: _Verdicts) -> Iterator[Finding]:
        """Increments of the function itself that run on every path, or on one path with the
        other counter's increment."""
        metrics = ctx.config.metrics
        counters = {metrics.success_field: "succeeded", metrics.error_field: "failed"}
        increments = [(statement, field) for statement in walk_local(function)
                      for field in [_incremented(statement)] if field in counters]
        if not increments:
            return
        flow = ControlFlow.of_function(function)
        flagged: set[ast.AST] = set()
        for statement, field in increments:
            if flow.always_runs([statement], raise_exits=False):
                flagged.add(statement)
                yield from verdicts.report(
                    REGISTRY_COUNTER_UNCONDITIONAL, statement,
                    what=f"`{_target_text(statement)}` runs on every call, whatever the outcome",
                    fix=f"increment `{field}` only when the execution {counters[field]}")
        outside_loops = [(statement, field) for statement, field in increments
                         if ctx.enclosing(statement, *LOOPS, ast.FunctionDef,
                                          ast.AsyncFunctionDef) is function]
        always = set(flagged)
        for statement, field in outside_loops:
            if statement in flagged:
                continue
            for other, other_field in outside_loops:
                # An increment already reported as running on every call explains this path.
                if other_field != field and other not in always \
                        and flow.may_precede(other, statement):
                    flagged.add(statement)
                    yield from verdicts.report(
                        REGISTRY_COUNTER_UNCONDITIONAL, statement,
                        what=f"`{_target_text(statement)}` runs on the same path as "
                             f"`{_target_text(other)}` (line {other.lineno}), whatever the "
                             "outcome",
                        fix=f"increment `{field}` only when the execution {counters[field]}")
                    break


class LifecycleCheck(Check):
    """GOV506 in a state machine's module: a method that receives the outcome sets the state
    that matches it (the registry's own module is `RegistryMetricsCheck`'s)."""
    rules = ()

    def within_role(self, ctx: FileContext) -> bool:
        return not is_registry_module(ctx)  # a module that may hold the state machine

    def run(self, ctx: FileContext) -> Iterator[Finding]:
        states = {state.upper() for state in ctx.config.metrics.states}
        reported: set[ast.AST] = set()
        for function in _functions(ctx.tree):
            if is_declaration(function) or not outcome_parameters(function, strict=True):
                continue
            named = {member.attr.upper() for node in walk_local(function)
                     for member in [member_of(node)] if member is not None}
            if not named & states:
                continue
            try:
                reading = Bookkeeping(ctx.tree, function, ctx.parents, strict=True)
            except TooComplex:
                continue
            yield from _Verdicts(ctx, function, reading, reported).states()


class _Verdicts:
    """The findings about one metrics function, one per violation: each finding's node, and
    what it already explains, is remembered so that no second finding repeats it."""

    def __init__(self, ctx: FileContext, function: FunctionNode,
                 reading: Bookkeeping | Pair | None, reported: set[ast.AST] | None = None
                 ) -> None:
        self.ctx = ctx
        self.function = function
        self.reading = reading
        metrics = ctx.config.metrics
        self.counter_fields = {SUCCESS: metrics.success_field, FAILURE: metrics.error_field}
        if self.foreign:
            self.counter_fields = own_counters(self.writes) or self.counter_fields
        self.reported: set[ast.AST] = set() if reported is None else reported
        self.inverted_tests: set[ast.AST] = set()
        self.explained: set[str] = set()  # outcomes whose bookkeeping a finding explains
        self.degenerate = False  # a constant outcome: the bookkeeping cannot be judged
        self.never: set[str] = set()
        paths = reading.paths if reading is not None else {}
        self.paths = {outcome: [path for path in paths.get(outcome, []) if path.normal]
                      for outcome in OUTCOMES}

    @property
    def config(self) -> Config:
        return self.ctx.config

    @cached_property
    def writes(self) -> list[Write]:
        if self.reading is None:
            return []
        return [write for paths in self.reading.paths.values() for path in paths
                for write in path.writes()]

    @cached_property
    def foreign(self) -> bool:
        """Whether the configuration's names are not this codebase's: neither counter is named
        anywhere in the file while the function writes fields it does not list."""
        metrics = self.config.metrics
        required = set(required_fields(self.config))
        return bool({write.field for write in self.writes} - required - {"[]"}) and not any(
            _mentions(self.ctx, field) for field in (metrics.success_field, metrics.error_field))

    @cached_property
    def state_names(self) -> set[str]:
        return {state.upper() for state in self.config.metrics.states}

    @cached_property
    def state_fields(self) -> set[str]:
        return set(state_fields(self.config))

    @cached_property
    def state_polarity(self) -> dict[str, str]:
        return self._state_polarity()

    def report(self, rule: Rule, node: ast.AST, **values: object) -> Iterator[Finding]:
        if node not in self.reported:
            self.reported.add(node)
            yield self.ctx.finding(rule, node, **values)

    @property
    def outcome_known(self) -> bool:
        return self.reading is not None and self.reading.has_outcome

    # -- GOV508 -----------------------------------------------------------------------------

    def lookups(self) -> Iterator[Finding]:
        functions = self.reading.functions if self.reading is not None \
            else _with_helpers(self.ctx, self.function)
        classes = self.reading.classes if self.reading is not None else Classes(self.ctx.tree)
        lookup = unguarded_lookup(self.ctx, functions, classes)
        if lookup is not None:
            yield from self.report(REGISTRY_LOOKUP_RAISES, lookup,
                                   lookup=_short(ast.unparse(lookup)))

    # -- GOV502 inside a context manager ------------------------------------------------------

    def after_yield(self) -> Iterator[Finding]:
        functions = self.reading.functions if self.reading is not None else [self.function]
        names = {function.name for function in functions}
        for function in functions:
            if not is_context_manager(function):
                continue
            for statement, later in after_unguarded_yield(self.ctx, function):
                call = recording_call(later, names)
                if call is None:
                    continue
                yield from self.report(
                    METRICS_UPDATE_OUTSIDE_FINALLY, call, call=describe_call(call),
                    where=f"runs after the `yield` of the context manager `{function.name}` "
                          f"(line {statement.lineno}), not in a `finally`",
                    consequence="a run whose body raises or is cancelled is never recorded",
                    fix="wrap the `yield` in `try:` and record in its `finally`")
                return

    # -- GOV509 inside the registry ---------------------------------------------------------

    def constant_outcomes(self) -> Iterator[Finding]:
        if self.reading is None or not (self.reading.parameters
                                        or is_context_manager(self.function)):
            return
        found: dict[str, dict[ast.Call, ast.AST]] = {}
        for outcome in OUTCOMES:
            found[outcome] = {event.call: event.argument for path in self.paths[outcome]
                              for event in path.events if isinstance(event, ConstantOutcome)}
        for call, argument in found[SUCCESS].items():
            if call in found[FAILURE]:
                # What the helper then records is the constant's doing: no finding repeats it.
                self.explained.update(OUTCOMES)
                self.degenerate = True
                yield from self.report(
                    METRICS_OUTCOME_MISREPORTED, argument,
                    what=f"`{_short(ast.unparse(call))}` passes the constant "
                         f"`{ast.unparse(argument)}` where the outcome goes, so every execution "
                         "is recorded with the same outcome",
                    fix="pass the execution's outcome on")

    # -- GOV507 -----------------------------------------------------------------------------

    def counters(self) -> Iterator[Finding]:
        yield from self._constant_counters()
        if not self.outcome_known or self.degenerate:
            return
        for outcome in (FAILURE, SUCCESS):
            wrong = self.counter_fields[opposite(outcome)]
            for path in self.paths[outcome]:
                for event, decision in path.governed():
                    if isinstance(event, Write) and event.field == wrong \
                            and event.kind == INCREMENT and decision is not None \
                            and decision.decided and decision.test not in self.inverted_tests:
                        self.inverted_tests.add(decision.test)
                        yield from self.report(
                            REGISTRY_COUNTER_UNCONDITIONAL, decision.test,
                            what=f"the test {_test_text(decision.test)} is inverted: "
                                 f"`{wrong}` is incremented when the execution "
                                 f"{OUTCOME_WORDS[outcome]}",
                            fix=f"increment `{self.counter_fields[SUCCESS]}` when it succeeded "
                                f"and `{self.counter_fields[FAILURE]}` when it failed")

    def _constant_counters(self) -> Iterator[Finding]:
        if self.reading is None:
            return
        writes = [write for paths in self.reading.paths.values() for path in paths
                  for write in path.writes()]
        for field in self.counter_fields.values():
            if any(write.field == field and write.kind == INCREMENT for write in writes):
                continue
            constant = next((write for write in writes
                             if write.field == field and write.kind == CONSTANT), None)
            if constant is not None:
                self.never.add(field)
                yield from self.report(
                    REGISTRY_COUNTER_UNCONDITIONAL, constant.node,
                    what=f"`{_target_text(constant.node)}` sets the counter to a constant, so it "
                         "never counts past it",
                    fix=f"increment it: `{_short(_target_of(constant.node))} += 1`")

    # -- GOV506 -----------------------------------------------------------------------------

    def early_returns(self) -> Iterator[Finding]:
        if not self.outcome_known or self.degenerate:
            return
        record = self._record_roots()
        for outcome in OUTCOMES:
            counter = self.counter_fields[outcome]
            for path in self.paths[outcome]:
                if any(write.field == counter for write in path.writes()) \
                        or any(could_write(opaque.roots, record) for opaque in path.opaque()):
                    continue
                for event, decision in path.governed():
                    if isinstance(event, Returned) and decision is not None:
                        self.explained.add(outcome)
                        yield from self.report(
                            REGISTRY_METRIC_NOT_UPDATED, event.node,
                            what=f"this `return` is taken when the execution "
                                 f"{OUTCOME_WORDS[outcome]} (the test "
                                 f"{_test_text(decision.test)} reads the outcome), "
                                 f"before `{counter}` is incremented, so such executions are "
                                 "not recorded",
                            fix="record the outcome before returning, or return early only "
                                "for reasons unrelated to it (an unknown plugin)")
                        break

    def fields(self) -> Iterator[Finding]:
        bodies = _with_helpers(self.ctx, self.function)
        updated, dynamic = updated_fields(bodies)
        writes = self.writes
        updated |= {write.field for write in writes}
        updated |= self._derived({write.field for write in writes})
        opaque = [] if self.reading is None else \
            [event for paths in self.reading.paths.values() for path in paths
             for event in path.opaque()]
        record = self._record_roots()
        if opaque and any(could_write(event.roots, record, loose=True) for event in opaque):
            dynamic = True  # a call this file cannot read may do the rest of the bookkeeping
        anchor = self._anchor(writes)
        if not dynamic and not self.degenerate:
            for field in required_fields(self.config):
                # Under a foreign configuration, a metric named nowhere in the file is called
                # something else here, not missing.
                if field in updated or field in self.never \
                        or (self.foreign and not _mentions(self.ctx, field)):
                    continue
                # Several fields may be missing: each is a finding, at the same anchor.
                self.never.add(field)
                yield self.ctx.finding(
                    REGISTRY_METRIC_NOT_UPDATED, anchor,
                    what=f"`{self.function.name}` never updates `{field}`",
                    fix=_how(field, self.config))
        if not self.outcome_known:
            return
        yield from self._one_outcome_only()

    def _one_outcome_only(self) -> Iterator[Finding]:
        counters = set(self.counter_fields.values())
        written: dict[str, dict[str, Write]] = {}
        for outcome in OUTCOMES:
            written[outcome] = {}
            for path in self.paths[outcome]:
                for write in path.writes():
                    written[outcome].setdefault(write.field, write)
                    for derived in self._derived({write.field}):
                        written[outcome].setdefault(derived, write)
        required = set(required_fields(self.config)) - counters - self.never
        for outcome in OUTCOMES:
            other = opposite(outcome)
            if other in self.explained:
                continue
            for field in sorted(required):
                write = written[outcome].get(field)
                if write is None or field in written[other]:
                    continue
                if any(could_write(opaque.roots, [write.root])
                       or (field in self.state_fields and (opaque.outcome or opaque.members))
                       for path in self.paths[other] for opaque in path.opaque()):
                    continue
                yield from self.report(
                    REGISTRY_METRIC_NOT_UPDATED, write.node,
                    what=f"`{_target_text(write.node)}` runs only when the execution "
                         f"{OUTCOME_WORDS[outcome]}, so after one that {OUTCOME_WORDS[other]} "
                         f"`{field}` keeps its old value",
                    fix="update it whatever the outcome")

    def states(self) -> Iterator[Finding]:
        """The last state written on each way through follows that way's outcome."""
        if not self.outcome_known or self.degenerate:
            return
        for outcome in (FAILURE, SUCCESS):
            for path in self.paths[outcome]:
                if any(isinstance(event, Decision) and event.test in self.inverted_tests
                       for event in path.events):
                    continue  # the inverted test is the violation, already reported
                last = last_state(path, self._is_state_write)
                if last is None:
                    continue
                for member, choosers in last.members:
                    polarity = member.polarity or self.state_polarity.get(member.name.upper())
                    if polarity != opposite(outcome):
                        continue
                    if any(by_outcome for _test, by_outcome in choosers):
                        what = (f"`{_target_text(last.anchor)}` sets the state to `{member.name}` "
                                f"when the execution {OUTCOME_WORDS[outcome]} (its test is "
                                "inverted)")
                    elif choosers:
                        tests = ", ".join(f"`{_short(ast.unparse(test))}`"
                                          for test, _by_outcome in choosers)
                        what = (f"`{_target_text(last.anchor)}` chooses the state by {tests}, "
                                f"not by the outcome, so it can be `{member.name}` after an "
                                f"execution that {OUTCOME_WORDS[outcome]}")
                    else:
                        what = (f"`{_target_text(last.anchor)}` sets the state to `{member.name}` "
                                f"even when the execution {OUTCOME_WORDS[outcome]}")
                    yield from self.report(
                        REGISTRY_METRIC_NOT_UPDATED, last.anchor, what=what,
                        fix="set the success state when it succeeded and the error state when "
                            "it failed")
                    break

    # -- helpers ----------------------------------------------------------------------------

    def _is_state_write(self, write: Write) -> bool:
        return write.field.lstrip("_") in self.state_fields or any(
            member.name.upper() in self.state_names for member, _choosers in write.members)

    def _state_polarity(self) -> dict[str, str]:
        """A state member written by a function that increments exactly one counter takes
        that counter's outcome (`mark_ok()` sets `HEALTHY`)."""
        found: dict[str, set[str]] = {}
        functions = self.reading.functions if self.reading is not None else []
        fields = {value: key for key, value in self.counter_fields.items()}
        for function in functions:
            outcomes = {fields[field] for node in walk_local(function)
                        for field in [_incremented(node)] if field in fields}
            if len(outcomes) != 1:
                continue
            outcome = outcomes.pop()
            for node in walk_local(function):
                if isinstance(node, ast.Assign):
                    member = member_of(node.value)
                    if member is not None:
                        found.setdefault(member.attr.upper(), set()).add(outcome)
        return {name: next(iter(outcomes)) for name, outcomes in found.items()
                if len(outcomes) == 1}

    def _derived(self, written: set[str]) -> set[str]:
        if self.reading is None:
            return set()
        return {name for name, reads in self.reading.classes.properties().items()
                if reads & written}

    def _record_roots(self) -> list[tuple[str, ...]]:
        if self.reading is None:
            return []
        required = set(required_fields(self.config))
        return [write.root for paths in self.reading.paths.values() for path in paths
                for write in path.writes() if write.field in required]

    def _anchor(self, writes: list[Write]) -> ast.AST:
        """Where a field the function never updates is reported: its first write of another
        metric (the bookkeeping it is missing from), else the function."""
        inside = [write.node for write in writes
                  if self.function.lineno <= write.node.lineno <= (self.function.end_lineno or 0)]
        return min(inside, key=lambda node: (node.lineno, node.col_offset)) if inside \
            else self.function


def _mentions(ctx: FileContext, name: str) -> bool:
    """Whether the file names `name` anywhere: an attribute, a variable, a parameter, a
    keyword, a string."""
    key = ("mentioned names",)
    found = ctx.memo.get(key)
    if found is None:
        names: set[str] = set()
        for node in ctx.nodes:
            if isinstance(node, ast.Attribute):
                names.add(node.attr)
            elif isinstance(node, ast.Name):
                names.add(node.id)
            elif isinstance(node, (ast.arg, ast.keyword)) and node.arg:
                names.add(node.arg)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                names.add(node.value)
        found = ctx.memo[key] = frozenset(names)
    return name in found  # type: ignore[operator]


def _target_of(statement: ast.AST) -> str:
    targets = getattr(statement, "targets", None) or [getattr(statement, "target", statement)]
    return ast.unparse(targets[0])


def _test_text(test: ast.AST) -> str:
    """`ok`, or `case Result.OK` for a `match` case."""
    text = _short(ast.unparse(test))
    return f"`case {text}`" if isinstance(test, ast.pattern) else f"`{text}`"


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


def required_fields(config: Config) -> list[str]:
    metrics = config.metrics
    fields = [metrics.success_field, metrics.error_field, *metrics.fields]
    return [field for index, field in enumerate(fields) if field and field not in fields[:index]]


def updated_fields(bodies: list[FunctionNode]) -> tuple[set[str], bool]:
    """The fields written by `bodies`, and whether some write has a computed field name."""
    fields: set[str] = set()
    dynamic = False
    for body in bodies:
        keys = _field_name_bindings(body)
        for node in walk_local(body):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    fields |= _target_fields(target, keys)
                fields |= _record_keys(node.value)
            elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
                fields |= _target_fields(node.target, keys)
                if node.value is not None:
                    fields |= _record_keys(node.value)
            elif isinstance(node, ast.Call):
                written, computed = _call_fields(node)
                fields |= written
                dynamic = dynamic or computed
    return fields, dynamic


def _target_fields(target: ast.AST, keys: dict[str, set[str]] | None = None) -> set[str]:
    """The fields an assignment target writes; `keys`: names bound to field names, for
    `metrics[key] += 1` after `key = "success_count" if success else "error_count"`."""
    if isinstance(target, ast.Attribute):
        return {target.attr}
    if isinstance(target, ast.Subscript):
        key = string_constant(target.slice)
        if key:
            return {key}
        if keys and isinstance(target.slice, ast.Name):
            return set(keys.get(target.slice.id, ()))
        return set()
    if isinstance(target, (ast.Tuple, ast.List)):
        return {field for element in target.elts for field in _target_fields(element, keys)}
    if isinstance(target, ast.Starred):
        return _target_fields(target.value, keys)
    return set()


def _field_name_bindings(function: FunctionNode) -> dict[str, set[str]]:
    """Local names whose every assignment is a string or a choice of strings."""
    bound: dict[str, set[str]] = {}
    other: set[str] = set()
    for node in walk_local(function):
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign, ast.For, ast.AsyncFor,
                               ast.NamedExpr)):
            targets = [node.target]
            value = node.value if isinstance(node, (ast.AnnAssign, ast.NamedExpr)) else None
        else:
            continue
        strings = _strings(value) if value is not None else None
        for target in targets:
            if isinstance(target, ast.Name):
                if strings:
                    bound.setdefault(target.id, set()).update(strings)
                else:
                    other.add(target.id)
    return {name: values for name, values in bound.items() if name not in other}


def _strings(value: ast.AST) -> set[str] | None:
    """`"a"` -> {"a"}; `"a" if c else "b"` -> {"a", "b"}; anything else -> None."""
    if isinstance(value, ast.IfExp):
        body, orelse = _strings(value.body), _strings(value.orelse)
        return body | orelse if body and orelse else None
    text = string_constant(value)
    return {text} if text else None


def _record_keys(value: ast.AST) -> set[str]:
    """Keys of a record built in an assigned value: `{"field": ...}`, `Metrics(field=...)`."""
    if isinstance(value, ast.IfExp):
        return _record_keys(value.body) | _record_keys(value.orelse)
    if isinstance(value, ast.Dict):
        return {key for key in map(string_constant, value.keys) if key}
    if isinstance(value, ast.Call):
        return {keyword.arg for keyword in value.keywords if keyword.arg}
    return set()


def _call_fields(call: ast.Call) -> tuple[set[str], bool]:
    name = called_name(call)
    if name == "setattr" and len(call.args) >= 2:
        field = string_constant(call.args[1])
        return ({field}, False) if field else (set(), True)
    if name in UPDATE_METHODS:
        fields = {keyword.arg for keyword in call.keywords if keyword.arg}
        for argument in call.args:
            fields |= _record_keys(argument) if isinstance(argument, ast.Dict) else set()
        return fields, any(keyword.arg is None for keyword in call.keywords)
    return set(), False


def _state_values(function: FunctionNode, states: set[str]) -> Iterator[ast.AST]:
    for node in walk_local(function):
        if isinstance(node, ast.Assign) and any(_target_fields(target) & states
                                                for target in node.targets):
            yield node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None \
                and _target_fields(node.target) & states:
            yield node.value
        elif isinstance(node, ast.Call) and called_name(node) in UPDATE_METHODS:
            yield from (keyword.value for keyword in node.keywords if keyword.arg in states)


def _incremented(statement: ast.AST) -> str | None:
    """The field a counter increment adds a non-zero number to, or None."""
    if isinstance(statement, ast.AugAssign) and isinstance(statement.op, ast.Add) \
            and _nonzero_number(statement.value):
        fields = _target_fields(statement.target)
        return next(iter(fields)) if len(fields) == 1 else None
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1 \
            and isinstance(statement.value, ast.BinOp) and isinstance(statement.value.op, ast.Add):
        fields = _target_fields(statement.targets[0])
        if len(fields) != 1:
            return None
        field = next(iter(fields))
        left, right = statement.value.left, statement.value.right
        for number, other in ((left, right), (right, left)):
            if _nonzero_number(number) and _mentions_field(other, field):
                return field
    return None


def _nonzero_number(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) in (int, float) and node.value != 0


def _mentions_field(node: ast.AST, field: str) -> bool:
    return any((isinstance(part, ast.Attribute) and part.attr == field)
               or string_constant(part) == field for part in ast.walk(node))


def _target_text(statement: ast.AST) -> str:
    text = ast.unparse(statement)
    return text if len(text) <= 60 else text[:57] + "..."


def _how(field: str, config: Config) -> str:
    if field == config.metrics.success_field:
        return "increment it when the execution succeeded"
    if field == config.metrics.error_field:
        return "increment it when the execution failed"
    return "set it on every execution"


def _with_helpers(ctx: FileContext, function: FunctionNode) -> list[FunctionNode]:
    """`function` and the same-file helpers it calls, transitively."""
    helpers = LocalFunctions.around(ctx.tree, function, ctx.parents)
    found = [function]
    for body in found:  # grows while iterating, on purpose: a breadth-first closure
        for node in walk_local(body):
            if isinstance(node, ast.Call):
                helper = helpers.resolve(node)
                if helper is not None and helper not in found:
                    found.append(helper)  # pylint: disable=modified-iterating-list
    return found


def _functions(tree: ast.Module) -> Iterator[FunctionNode]:
    """Module-level functions and the methods of module-level classes."""
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node
        elif isinstance(node, ast.ClassDef):
            yield from (item for item in node.body
                        if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)))


def _provided(tree: ast.Module, name: str) -> bool:
    """Whether the module imports or assigns `name` (a re-export or an alias)."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            if any((alias.asname or alias.name.split(".")[-1]) == name for alias in node.names):
                return True
        elif isinstance(node, ast.Assign):
            if any(isinstance(target, ast.Name) and target.id == name for target in node.targets):
                return True
    return False


def _registry_anchor(tree: ast.Module) -> ast.AST | None:
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name.endswith("Registry"):
            return node
    return tree.body[0] if tree.body else None


def _is_stub(ctx: FileContext, function: FunctionNode) -> bool:
    """An abstract or protocol declaration, or a body that only declares (`...`, `pass`, a
    docstring, `raise NotImplementedError`): nothing to check."""
    owner = ctx.parents.get(function)
    return is_declaration(function) or (isinstance(owner, ast.ClassDef) and is_protocol_class(owner))


CHECKS = (RegistryMetricsCheck, LifecycleCheck)
