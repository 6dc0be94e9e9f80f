"""GOV501-GOV504: the runner updates the registry metrics in `finally`, on every path, with a
known lifecycle state (checklist §5, runner side; the registry side is `registry_metrics`).

The rules look at the same execution methods as section 2 (see `execution_functions`).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from flake8_phase12.analysis.context import FileContext, Finding
from flake8_phase12.analysis.flow import (
    TRY_NODES,
    ControlFlow,
    FlowTooLarge,
    FunctionNode,
    LocalFunctions,
)
from flake8_phase12.analysis.local import walk_local
from flake8_phase12.analysis.names import is_declaration, last_name
from flake8_phase12.analysis.outcome import (
    FAILURE,
    SUCCESS,
    bool_constant,
    literal_polarity,
    name_polarity,
    opposite,
)
from flake8_phase12.analysis.runner import (
    describe_call,
    execution_functions,
    is_call_to,
    runner_calls,
)
from flake8_phase12.rules._runner_check import RunnerFunctionCheck
from flake8_phase12.catalog import Rule
from flake8_phase12.config.model import Config

METRICS_UPDATE_MISSING = Rule(
    code="GOV501",
    symbol="metrics-update-missing",
    section=5,
    title="Runner never updates the registry metrics",
    message="`{function}` never calls {metrics}(...); call it in the `finally` of the try "
            "around the execution, so every execution is recorded",
    docs="""
    ## What it does
    Flags a runner execution method that never calls the metrics update
    (`metrics.function`, `update_execution_metrics` by default), directly or through a
    same-file helper that calls it on every path. Reported on the plugin execution (on the
    method when this file shows none).

    ## Why is this bad?
    The registry's success and error counts, timings, last use and lifecycle state are the
    only record of what the plugins did. Without the update they stay at their initial
    values.

    ## Example
    ```python
    try:
        ...
        return validate_plugin_output(plugin.run(payload))
    except Exception as exc:
        return build_error_envelope(exc, plugin_name)
    ```

    ## Use instead
    ```python
    try:
        ...
        output = validate_plugin_output(plugin.run(payload))
        success = True
        return output
    except Exception as exc:
        return build_error_envelope(exc, plugin_name)
    finally:
        self._registry.update_execution_metrics(plugin_name, success=success,
                                                duration_ms=elapsed_ms(started))
    ```
    """,
)

METRICS_UPDATE_OUTSIDE_FINALLY = Rule(
    code="GOV502",
    symbol="metrics-update-outside-finally",
    section=5,
    title="Metrics updated outside the finally block",
    message="`{call}` {where}: {consequence}; {fix}",
    docs="""
    ## What it does
    Flags a metrics update that is not in the `finally` of the `try` around the plugin
    execution:
    - in the body, an `except` handler or the `else:` of the try around the execution;
    - anywhere outside a `finally` when the method has no metrics update in a `finally`;
    - in the `finally` of a try that does not contain the execution.

    An update in the body, handler or `else:` of a try whose `finally` also updates counts
    the execution twice: the message then says to remove it.

    In the registry module, a metrics update written as a context manager
    (`@contextmanager def track(...)`, used as `with registry.track(name) as run:`) that
    records after its `yield` without a `finally` around it is flagged too: its exit is
    skipped when the body raises or is cancelled.

    An extra update outside any `try` while another one sits in the right `finally` (for
    example when rejecting invalid input before anything runs) is not flagged. Nor is an
    update used as a context manager around the execution (`with
    self._registry.update_execution_metrics(plugin_name) as outcome:`): its exit runs on every
    path out of the `with`, exceptions included, as a `finally` does.

    ## Why is this bad?
    In the try body the update is skipped whenever the plugin raises, so failures are never
    recorded; in a handler, successes are never recorded. Only `finally` runs after every
    execution, whatever happened.

    ## Example
    ```python
    try:
        raw_output = plugin.run(payload)
        self._registry.update_execution_metrics(plugin_name, success=True, duration_ms=ms)
        return validate_plugin_output(raw_output)
    except Exception as exc:
        return build_error_envelope(exc, plugin_name)
    ```

    ## Use instead
    ```python
    try:
        raw_output = plugin.run(payload)
        output = validate_plugin_output(raw_output)
        success = True
        return output
    except Exception as exc:
        return build_error_envelope(exc, plugin_name)
    finally:
        self._registry.update_execution_metrics(plugin_name, success=success, duration_ms=ms)
    ```
    """,
)

METRICS_UPDATE_NOT_ON_EVERY_PATH = Rule(
    code="GOV503",
    symbol="metrics-update-not-on-every-path",
    section=5,
    title="Metrics update skipped on some path through the finally",
    message="some path through the `finally` skips `{call}` (line {line}) because {reason}; "
            "call it unconditionally at the top level of the `finally`, before any return",
    docs="""
    ## What it does
    Checks, on the control-flow graph of the `finally` block, that every way through it
    (falling off its end, `return`, `break`, `continue`, an explicit `raise`) attempts a
    metrics update. Several updates together may cover the paths
    (`if ok: update(..., SUCCESS) else: update(..., ERROR)`), and so does a registry's method
    for the other outcome, called on the same object for the same plugin
    (`if ok: registry.record_success(name) else: registry.record_failure(name)`).

    Reported on the statement of the `finally` that makes the update conditional (an `if`,
    a loop that may run zero times, a `match` without a catch-all case, a nested `try`) or on
    the update itself when an earlier `return`/`raise`/`break`/`continue` leaves the
    `finally` before it or it sits in a conditional expression (`ok and update(...)`).
    An exception raised by an ordinary statement before the update is not counted as a path
    (see `flake8_phase12.analysis.flow`).

    Besides the execution methods, the runner module's other public functions and methods
    that call the update in a `finally` are checked (an async twin that receives its plugin
    from elsewhere still records an execution).

    ## Why is this bad?
    An update under `if success:` never records failures; one after an early `return`
    never runs on that path. The registry's counts then drift from what really ran.

    ## Example
    ```python
    finally:
        if success:
            self._registry.update_execution_metrics(plugin_name, success=True, duration_ms=ms)
    ```

    ## Use instead
    ```python
    finally:
        self._registry.update_execution_metrics(plugin_name, success=success, duration_ms=ms)
    ```
    """,
)

METRICS_STATE_UNKNOWN = Rule(
    code="GOV504",
    symbol="metrics-state-unknown",
    section=5,
    title="Unknown lifecycle state",
    message="lifecycle state {state} is not one of {states}; use one of the states configured "
            "in `metrics.states`",
    docs="""
    ## What it does
    Checks the lifecycle states written as literals:
    - in the runner, the arguments of the metrics update: a keyword named `state`, `status`
      or after the registry's state field, a `SomethingState.NAME`/`SomethingStatus.NAME`
      attribute, and an upper-case string such as `"FAILED"`; a plain local name passed there
      is followed to the literals assigned to it in the method;
    - in the registry module, the values the metrics function assigns to the state field
      (`record.state = ...`).

    Both branches of a conditional expression are checked. The comparison with
    `metrics.states` (default `SUCCESS`, `ERROR`) ignores case.

    ## Why is this bad?
    The checklist allows exactly two outcomes. Any other state (`"DONE"`,
    `PluginState.FAILED`) is unknown to the readers of the registry, so the plugin shows as
    neither succeeded nor failed.

    ## Example
    ```python
    record.state = "DONE" if success else PluginState.ERROR
    ```

    ## Use instead
    ```python
    record.state = PluginState.SUCCESS if success else PluginState.ERROR
    ```
    """,
)

METRICS_OUTCOME_MISREPORTED = Rule(
    code="GOV509",
    symbol="metrics-outcome-misreported",
    section=5,
    title="The metrics update records another outcome or plugin than the execution's",
    message="{what}; {fix}",
    docs="""
    ## What it does
    Checks that what the runner passes to the metrics update follows the execution:
    - the success flag (a `success=`/`ok=` keyword, an outcome enum member, or the handle of a
      context-managed update: `with registry.track(name) as run: ... run.succeeded()`)
      becomes true only after the last step that can fail and is false on every failure
      path. Findings: a constant (`success=True`, `outcome=RunOutcome.SUCCEEDED`) passed from
      the `finally`; a flag initialised to the success value that no `except` resets; a flag
      set (or `run.succeeded()` called) before the output validation, the execution, the
      input validation or the lookup, which can still fail; a success value also reached
      after an `except` clause; a flag that is never set to the success value (reported at
      the success `return`);
    - the plugin it records is the one that ran: a first argument that is another parameter
      of the method than the one the executed plugin was looked up by (`close_run(tool, ...)`
      after `plugin = catalog.get(plugin_id)`); when the file does not show where the
      executed plugin came from, this is not judged.

    Inside the registry, a constant passed where a helper takes the outcome
    (`self.record(name, ms, ok=True)` in a context manager or in a function that receives
    the outcome) is the same finding.

    A flag's values must all be `True`/`False` or enum members that name an outcome
    (`SUCCEEDED`, `FAILED`); what `True` means comes from the keyword or the variable
    (`ok`, `success`, `failed`). A flag computed from something else is not judged. Only
    updates in a `finally` (or the context-managed form) are judged: an update elsewhere is
    GOV502's.

    ## Why is this bad?
    The registry counts what the runner tells it. A flag set too early turns a rejected
    output into a success; a constant or an initial success value turns every failure into
    one; a flag never set makes every success a failure; a wrong name leaves the plugin's
    metrics untouched.

    ## Example
    ```python
    success = False
    try:
        ...
        raw_output = plugin.run(payload)
        success = True
        return validate_plugin_output(raw_output)
    except Exception as exc:
        return build_error_envelope(exc, plugin_name)
    finally:
        self._registry.update_execution_metrics(plugin_name, success=success, duration_ms=ms)
    ```

    ## Use instead
    ```python
    success = False
    try:
        ...
        output = validate_plugin_output(plugin.run(payload))
        success = True
        return output
    except Exception as exc:
        return build_error_envelope(exc, plugin_name)
    finally:
        self._registry.update_execution_metrics(plugin_name, success=success, duration_ms=ms)
    ```
    """,
)

RULES = (METRICS_UPDATE_MISSING, METRICS_UPDATE_OUTSIDE_FINALLY, METRICS_UPDATE_NOT_ON_EVERY_PATH,
         METRICS_STATE_UNKNOWN, METRICS_OUTCOME_MISREPORTED)

OUTSIDE_FINALLY = {
    "body": ("is in the try body", "failed executions are never recorded"),
    "handler": ("is in an `except` handler", "successful executions are never recorded"),
    "orelse": ("is in the try's `else:` block", "failed executions are never recorded"),
}
MOVE_TO_FINALLY = "move it into the `finally` of the try around the plugin execution"
STATE_KEYWORDS = frozenset({"state", "status", "new_state", "lifecycle_state", "final_state"})
# Enum classes of plugin states (`PluginState`, `ExecutionStatus`), by name.
STATE_CLASS_SUFFIXES = ("State", "Status")
UPPERCASE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
CONSTANT_CHARACTERS = UPPERCASE | frozenset("0123456789_")


class MetricsUpdateCheck(RunnerFunctionCheck):
    """GOV501-GOV504, GOV509: the runner updates the registry metrics on every path, success
    or failure, with the outcome and the plugin of the execution."""
    rules = RULES

    def run(self, ctx: FileContext) -> Iterator[Finding]:
        executing = execution_functions(ctx)
        for function in executing:
            try:
                yield from self.check_function(ctx, function)
            except FlowTooLarge:
                continue  # too large to analyse soundly: say nothing rather than guess
        for function in recording_functions(ctx, executing):
            try:
                yield from self._recording(ctx, function)
            except FlowTooLarge:
                continue

    def check_function(self, ctx: FileContext, function: FunctionNode) -> Iterator[Finding]:
        metrics = ctx.config.metrics.function
        helpers = LocalFunctions.around(ctx.tree, function, ctx.parents)
        updates = helpers.calls_performing(function, lambda call: is_call_to(call, metrics))
        executions = runner_calls(ctx, function).executions
        if not updates:
            yield ctx.finding(METRICS_UPDATE_MISSING, executions[0] if executions else function,
                              function=function.name, metrics=metrics)
            return
        guarding = {node for node in walk_local(function) if isinstance(node, TRY_NODES)
                    and any(_inside(ctx, execution, node, "body") for execution in executions)}
        in_finally: dict[ast.Try, list[ast.Call]] = {}
        elsewhere: list[ast.Call] = []
        managed = False
        for call in updates:
            owner = _finally_owner(ctx, call, function)
            if owner is not None:
                in_finally.setdefault(owner, []).append(call)
            elif _manages_the_execution(ctx, call, executions):
                managed = True
            elif _is_with_item(ctx, call):
                yield ctx.finding(METRICS_UPDATE_OUTSIDE_FINALLY, call, call=describe_call(call),
                                  where="manages a `with` that does not contain the plugin "
                                        f"execution (line {executions[0].lineno})",
                                  consequence="the execution is never recorded",
                                  fix="put the execution inside that `with`, or move the update "
                                      "into the `finally` of the try around the execution")
            else:
                elsewhere.append(call)
        for call in elsewhere:
            yield from self._outside_finally(ctx, function, call, guarding, set(in_finally),
                                             managed)
        for statement, calls in in_finally.items():
            if executions and statement not in guarding:
                yield ctx.finding(METRICS_UPDATE_OUTSIDE_FINALLY, calls[0],
                                  call=describe_call(calls[0]),
                                  where=f"is in the `finally` of a try that does not contain the "
                                        f"plugin execution (line {executions[0].lineno})",
                                  consequence="it also runs when nothing was executed",
                                  fix=MOVE_TO_FINALLY)
            yield from self._every_path(ctx, statement, calls)
        for call in updates:
            if is_call_to(call, metrics):
                yield from self._states(ctx, function, call)
        yield from OutcomeReport(ctx, function, updates).findings()

    def _recording(self, ctx: FileContext, function: FunctionNode) -> Iterator[Finding]:
        """A public function of the runner module that records an execution in a `finally`
        although this file does not show it executing a plugin (an async twin whose plugin
        comes from elsewhere): the update must still be on every path, with the outcome."""
        metrics = ctx.config.metrics.function
        updates = [node for node in walk_local(function) if is_call_to(node, metrics)]
        in_finally: dict[ast.Try, list[ast.Call]] = {}
        for call in updates:
            owner = _finally_owner(ctx, call, function)
            if owner is not None:
                in_finally.setdefault(owner, []).append(call)
        for statement, calls in in_finally.items():
            yield from self._every_path(ctx, statement, calls)
        for call in updates:
            yield from self._states(ctx, function, call)
        yield from OutcomeReport(ctx, function, updates).findings()

    def _outside_finally(self, ctx: FileContext, function: FunctionNode, call: ast.Call,
                         guarding: set[ast.AST], finally_owners: set[ast.Try],
                         managed: bool) -> Iterator[Finding]:
        """`managed`: a `with <metrics update>:` around the execution records every execution."""
        fix = MOVE_TO_FINALLY
        found = _guarding_part(ctx, call, function, guarding)
        if found is not None:
            statement, part = found
            where, consequence = OUTSIDE_FINALLY[part]
            if statement in finally_owners or managed:
                recorder = "its `finally`" if statement in finally_owners else \
                    "the `with` around the execution"
                consequence = f"the update in {recorder} already records this execution, " \
                              "so it is counted twice"
                fix = f"remove it and let {recorder} record every execution"
        elif not finally_owners and not managed:
            where, consequence = "is not in a `finally` block", "an exception skips it"
        else:
            return  # an extra update on a path that never reaches the execution
        yield ctx.finding(METRICS_UPDATE_OUTSIDE_FINALLY, call, call=describe_call(call),
                          where=where, consequence=consequence, fix=fix)

    def _every_path(self, ctx: FileContext, statement: ast.Try,
                    calls: list[ast.Call]) -> Iterator[Finding]:
        flow = ControlFlow(statement.finalbody)
        if flow.always_runs([*calls, *_siblings(statement, calls)], raise_exits=True):
            return
        first = calls[0]
        # The calls were found in the `finally` block, so one of its statements holds them.
        culprit = next((part for part in statement.finalbody
                        if any(node in calls for node in ast.walk(part))), statement.finalbody[0])
        node: ast.AST = first
        if not _is_simple(culprit):
            node, reason = culprit, _reason(culprit)
        elif not flow.unconditionally_evaluated(first):
            reason = "it is evaluated only conditionally (`and`, `or`, `x if c else y`, ...)"
        else:
            reason = "a return, raise, break or continue before it leaves the `finally`"
        yield ctx.finding(METRICS_UPDATE_NOT_ON_EVERY_PATH, node, call=describe_call(first),
                          line=first.lineno, reason=reason)

    def _states(self, ctx: FileContext, function: FunctionNode,
                call: ast.Call) -> Iterator[Finding]:
        config = ctx.config
        keywords = STATE_KEYWORDS | set(state_fields(config))
        values: list[tuple[ast.AST, bool]] = [(argument, False) for argument in call.args]
        # Any keyword may carry a `PluginState.X`; only a state keyword makes any string a state.
        values += [(keyword.value, keyword.arg in keywords) for keyword in call.keywords]
        for value, is_keyword in values:
            if isinstance(value, ast.Name) and (is_keyword or value.id in keywords):
                for assigned in _assigned_values(function, value.id):
                    yield from unknown_states(ctx, assigned, config, strings=True)
            else:
                yield from unknown_states(ctx, value, config, strings=is_keyword)


def state_fields(config: Config) -> list[str]:
    """The registry fields holding the lifecycle state: `state`, `status`, `*_state`."""
    return [name for name in config.metrics.fields
            if name in ("state", "status") or name.endswith(("_state", "_status"))]


def unknown_states(ctx: FileContext, value: ast.AST, config: Config,
                   strings: bool) -> Iterator[Finding]:
    """Findings for the state literals in `value` that are not configured states. `strings`:
    whether any string is a state here (a `state=` keyword); otherwise only upper-case ones."""
    known = {state.upper() for state in config.metrics.states}
    for node, state in state_literals(value, strings):
        if state.upper() not in known:
            text = ast.unparse(node)
            yield ctx.finding(METRICS_STATE_UNKNOWN, node, state=f"`{text}`",
                              states=", ".join(config.metrics.states))


def state_literals(value: ast.AST, strings: bool) -> Iterator[tuple[ast.AST, str]]:
    """`"SUCCESS"`, `PluginState.ERROR`, `PluginState.ERROR.value`, through `x if c else y`."""
    if isinstance(value, ast.IfExp):
        yield from state_literals(value.body, strings)
        yield from state_literals(value.orelse, strings)
    elif isinstance(value, ast.BoolOp):
        for part in value.values:
            yield from state_literals(part, strings)
    elif isinstance(value, ast.Constant) and isinstance(value.value, str):
        if strings or is_constant_like(value.value):
            yield value, value.value
    elif isinstance(value, ast.Attribute):
        member = value.value if value.attr in ("value", "name") \
            and isinstance(value.value, ast.Attribute) else value
        owner = last_name(member.value) if isinstance(member, ast.Attribute) else None
        if isinstance(member, ast.Attribute) and owner and owner.endswith(STATE_CLASS_SUFFIXES):
            yield value, member.attr


def is_constant_like(text: str) -> bool:
    """`SUCCESS`, `ERROR_2`: how state strings are spelled (an upper-case letter, then upper-case
    letters, digits and underscores)."""
    return bool(text) and text[0] in UPPERCASE and CONSTANT_CHARACTERS.issuperset(text)


def _assigned_values(function: FunctionNode, name: str) -> Iterator[ast.AST]:
    for node in walk_local(function):
        if isinstance(node, ast.Assign) and any(isinstance(target, ast.Name) and target.id == name
                                                for target in node.targets):
            yield node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) \
                and node.target.id == name and node.value is not None:
            yield node.value


def _manages_the_execution(ctx: FileContext, call: ast.Call,
                           executions: tuple[ast.AST, ...]) -> bool:
    """`with registry.track(name) as outcome:` around the execution: the context manager's exit
    runs on every path out of its body, exceptions included, as a `finally` does."""
    if not _is_with_item(ctx, call):
        return False
    statement = ctx.parents.get(ctx.parents.get(call))
    return not executions or any(_inside(ctx, execution, statement, "body")
                                 for execution in executions)


def _is_with_item(ctx: FileContext, call: ast.Call) -> bool:
    item = ctx.parents.get(call)
    return isinstance(item, ast.withitem) and item.context_expr is call


def _finally_owner(ctx: FileContext, node: ast.AST, function: FunctionNode) -> ast.Try | None:
    """The nearest `try` whose `finally` block contains `node`."""
    child, current = node, ctx.parents.get(node)
    while current is not None and current is not function:
        if isinstance(current, TRY_NODES) and child in current.finalbody:
            return current
        child, current = current, ctx.parents.get(current)
    return None


def _guarding_part(ctx: FileContext, node: ast.AST, function: FunctionNode,
                   guarding: set[ast.AST]) -> tuple[ast.Try, str] | None:
    """The nearest try around the execution that holds `node`, and where: 'body', 'handler'
    or 'orelse'."""
    child, current = node, ctx.parents.get(node)
    while current is not None and current is not function:
        if current in guarding:
            if child in current.body:
                return current, "body"
            if child in current.orelse:
                return current, "orelse"
            if child in current.handlers:
                return current, "handler"
        child, current = current, ctx.parents.get(current)
    return None


def _inside(ctx: FileContext, node: ast.AST, statement: ast.AST, part: str) -> bool:
    child, current = node, ctx.parents.get(node)
    while current is not None:
        if current is statement:
            return child in getattr(statement, part)
        child, current = current, ctx.parents.get(current)
    return False


def _is_simple(statement: ast.stmt) -> bool:
    return not isinstance(statement, (ast.If, ast.For, ast.AsyncFor, ast.While, ast.With,
                                      ast.AsyncWith, ast.Match, *TRY_NODES))


def _keyword(statement: ast.stmt) -> str:
    if isinstance(statement, TRY_NODES):
        return "try"
    return {ast.If: "if", ast.For: "for", ast.AsyncFor: "async for", ast.While: "while",
            ast.With: "with", ast.AsyncWith: "async with", ast.Match: "match"}.get(
        type(statement), type(statement).__name__.lower())


def _reason(statement: ast.stmt) -> str:
    if isinstance(statement, ast.If):
        return "it only runs on some branches of this `if`"
    if isinstance(statement, (ast.For, ast.AsyncFor, ast.While)):
        return "this loop may run zero times, or leave before it"
    if isinstance(statement, ast.Match):
        return "this `match` may take a case without it, or no case"
    if isinstance(statement, TRY_NODES):
        return "an exception or a jump inside this nested `try` skips it"
    return f"a path through this `{_keyword(statement)}` leaves before it"


def _siblings(statement: ast.Try, calls: list[ast.Call]) -> list[ast.Call]:
    """Calls in the `finally` of `statement` of another method of the same receiver, for the
    same plugin, named for an outcome, as a metrics update (`registry.record_failure(name)`
    beside `registry.record_success(name)`): a registry may record each outcome with its own
    method."""
    receivers = {(ast.dump(call.func.value), ast.dump(call.args[0])) for call in calls
                 if isinstance(call.func, ast.Attribute) and call.args}
    return [node for part in statement.finalbody for node in ast.walk(part)
            if isinstance(node, ast.Call) and node not in calls
            and isinstance(node.func, ast.Attribute) and node.args
            and name_polarity(node.func.attr) is not None
            and (ast.dump(node.func.value), ast.dump(node.args[0])) in receivers]


def recording_functions(ctx: FileContext, executing: list[FunctionNode]) -> list[FunctionNode]:
    """Public functions and methods of the runner module, other than `executing`, that call
    the metrics update in a `finally`."""
    metrics = ctx.config.metrics.function
    candidates = [node for node in ctx.tree.body
                  if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]
    for node in ctx.tree.body:
        if isinstance(node, ast.ClassDef):
            candidates.extend(item for item in node.body
                              if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)))
    return [function for function in candidates
            if function not in executing and not function.name.startswith("_")
            and not is_declaration(function)
            and any(is_call_to(node, metrics) and _finally_owner(ctx, node, function) is not None
                    for node in walk_local(function))]


class OutcomeReport:
    """GOV509 for one runner function: the outcome and the plugin its metrics updates record
    (see the rule's documentation)."""

    def __init__(self, ctx: FileContext, function: FunctionNode, updates: list[ast.Call]) -> None:
        self.ctx = ctx
        self.function = function
        self.calls = runner_calls(ctx, function)
        self.updates = [call for call in updates if is_call_to(call, ctx.config.metrics.function)]
        self.parameters = {arg.arg for arg in (*function.args.posonlyargs, *function.args.args,
                                               *function.args.kwonlyargs)}
        self._flow: ControlFlow | None = None
        self.reported: set[ast.AST] = set()

    @property
    def flow(self) -> ControlFlow:
        if self._flow is None:
            self._flow = ControlFlow.of_function(self.function)
        return self._flow

    def findings(self) -> Iterator[Finding]:
        executions = self.calls.executions
        for update in self.updates:
            owner = _finally_owner(self.ctx, update, self.function)
            if owner is not None and executions \
                    and not any(_inside(self.ctx, node, owner, "body") for node in executions):
                continue  # the wrong `finally`: GOV502 says so
            if owner is not None:
                yield from self._identity(update)
                if not _conditional_in(self.ctx, update, owner):
                    yield from self._constants(update)
                yield from self._flags(update, owner)
            elif _is_with_item(self.ctx, update):
                yield from self._identity(update)
                yield from self._handle(update)

    def _report(self, node: ast.AST, what: str, fix: str) -> Iterator[Finding]:
        if node not in self.reported:
            self.reported.add(node)
            yield self.ctx.finding(METRICS_OUTCOME_MISREPORTED, node, what=what, fix=fix)

    # -- the plugin -------------------------------------------------------------------------

    def _identity(self, update: ast.Call) -> Iterator[Finding]:
        recorded = update.args[0] if update.args else None
        if not isinstance(recorded, ast.Name) or recorded.id not in self.parameters:
            return
        found = self._executed_plugin()
        if found is not None and found[0] != recorded.id:
            plugin, lookup = found
            yield from self._report(
                recorded,
                what=f"`{describe_call(update)}` records the execution under `{recorded.id}`, but "
                     f"the plugin looked up and run is `{plugin}` (line {lookup.lineno}), so "
                     "that plugin's metrics are never updated",
                fix=f"pass `{plugin}`")

    def _executed_plugin(self) -> tuple[str, ast.Call] | None:
        """The parameter naming the plugin that runs, read from the call that produced the
        executed object (`plugin = registry.get(plugin_name)`, `registry.get(request.plugin_id)`
        for a parameter `plugin_id`), with that call; None when the file does not show it, or
        shows two."""
        found: set[str] = set()
        calls: list[ast.Call] = []
        for execution in self.calls.executions:
            reference = execution.func if isinstance(execution, ast.Call) else execution
            receiver = reference.value if isinstance(reference, ast.Attribute) else None
            if not isinstance(receiver, ast.Name):
                return None
            for node in walk_local(self.function):
                if isinstance(node, ast.Assign) and len(node.targets) == 1 \
                        and isinstance(node.targets[0], ast.Name) \
                        and node.targets[0].id == receiver.id:
                    value = node.value.value if isinstance(node.value, ast.Await) else node.value
                    if not isinstance(value, ast.Call) or not value.args:
                        return None
                    key = value.args[0]
                    name = key.id if isinstance(key, ast.Name) else \
                        key.attr if isinstance(key, ast.Attribute) else None
                    if name not in self.parameters:
                        return None
                    found.add(name)
                    calls.append(value)
        return (found.pop(), calls[0]) if len(found) == 1 else None

    # -- the outcome: constants -------------------------------------------------------------

    def _constants(self, update: ast.Call) -> Iterator[Finding]:
        values = [(keyword.value, keyword.arg) for keyword in update.keywords] \
            + [(argument, None) for argument in update.args]
        for value, keyword in values:
            polarity = literal_polarity(value)
            constant = bool_constant(value)
            if polarity is None and constant is not None and keyword is not None:
                meaning = name_polarity(keyword)
                if meaning is not None:
                    polarity = meaning if constant else opposite(meaning)
            if polarity is None:
                continue
            yield from self._report(
                value,
                what=f"`{_short(ast.unparse(value), keyword)}` in the `finally` records every "
                     f"execution as a {polarity}, {'failed' if polarity == SUCCESS else 'successful'}"
                     " ones included",
                fix="pass a flag that starts false and is set to true after the output "
                    "validation, just before the success return")

    # -- the outcome: a flag variable -------------------------------------------------------

    def _flags(self, update: ast.Call, guard: ast.Try) -> Iterator[Finding]:
        values = [(keyword.value, keyword.arg) for keyword in update.keywords] \
            + [(argument, None) for argument in update.args[1:]]
        for value, keyword in values:
            if not isinstance(value, ast.Name) or value.id in self.parameters:
                continue
            meaning = name_polarity(keyword) or name_polarity(value.id)
            assignments = self._assignments(value.id, meaning)
            if not assignments:
                continue
            yield from self._flag(value.id, assignments, guard, update)

    def _assignments(self, name: str, meaning: str | None) -> list[tuple[ast.stmt, str]] | None:
        """Each assignment of `name` with the outcome it stands for; None when one of them
        cannot be told (the flag is then not judged)."""
        found: list[tuple[ast.stmt, str]] = []
        for node in walk_local(self.function):
            value: ast.AST | None = None
            if isinstance(node, ast.Assign) and any(
                    isinstance(target, ast.Name) and target.id == name for target in node.targets):
                if len(node.targets) != 1:
                    return None
                value = node.value
            elif isinstance(node, (ast.AnnAssign, ast.AugAssign, ast.NamedExpr)) \
                    and isinstance(node.target, ast.Name) and node.target.id == name:
                if isinstance(node, ast.AugAssign) or node.value is None:
                    return None
                value = node.value
            elif isinstance(node, (ast.For, ast.AsyncFor, ast.With, ast.AsyncWith)):
                targets = [node.target] if isinstance(node, (ast.For, ast.AsyncFor)) \
                    else [item.optional_vars for item in node.items]
                if any(isinstance(target, ast.Name) and target.id == name for target in targets):
                    return None
                continue
            else:
                continue
            polarity = literal_polarity(value)
            constant = bool_constant(value)
            if polarity is None and constant is not None and meaning is not None:
                polarity = meaning if constant else opposite(meaning)
            if polarity is None:
                return None
            found.append((node, polarity))  # type: ignore[arg-type]
        found.sort(key=lambda item: (item[0].lineno, item[0].col_offset))
        return found

    def _flag(self, name: str, assignments: list[tuple[ast.stmt, str]], guard: ast.Try,
              update: ast.Call) -> Iterator[Finding]:
        successes = [statement for statement, polarity in assignments if polarity == SUCCESS]
        if not successes:
            anchor = self._success_return(guard) or update
            yield from self._report(
                anchor,
                what=f"`{name}` is never set to its success value, so `{describe_call(update)}` "
                     "records every execution as a failure",
                fix="set it after the output validation, just before the success return")
            return
        reset = bool(guard.handlers) and all(
            any(statement in handler.body and polarity == FAILURE
                for statement, polarity in assignments) for handler in guard.handlers)
        before = [(statement, polarity) for statement, polarity in assignments
                  if not _within(self.ctx, statement, guard) and statement.lineno < guard.lineno]
        if before and before[-1][1] == SUCCESS and not reset:
            yield from self._report(
                before[-1][0],
                what=f"`{_statement_text(before[-1][0])}` makes the outcome a success before "
                     "anything ran, and no `except` resets it, so every failure is recorded as "
                     "a success",
                fix="start with the failure value and set the success value after the output "
                    "validation")
        failures = [statement for statement, polarity in assignments if polarity == FAILURE]
        yield from self._success_marks(successes, guard, reset, f"`{name}`", failures)

    def _success_marks(self, successes: list[ast.stmt], guard: ast.Try, reset: bool,
                       what: str, resets: list[ast.stmt]) -> Iterator[Finding]:
        """`resets`: the statements that set the failure value again."""
        for statement in successes:
            handler = self.ctx.enclosing(statement, ast.ExceptHandler)
            if handler is not None and handler in guard.handlers:
                yield from self._report(
                    statement,
                    what=f"`{_statement_text(statement)}` in an `except` clause records a failed "
                         "execution as a success",
                    fix="set the success value only on the success path")
                continue
            after = None if reset or not _inside(self.ctx, statement, guard, "body") \
                else self._later_step(statement, guard, resets)
            if after is not None:
                yield from self._report(
                    statement,
                    what=f"`{_statement_text(statement)}` comes before `{describe_call(after)}` "
                         f"(line {after.lineno}), which can still fail, and no `except` resets "
                         f"{what}, so that failure is recorded as a success",
                    fix="set it after the output validation, just before the success return")
                continue
            failed = next((handler for handler in self._failure_handlers(guard) if handler.body
                           and self.flow.may_precede(handler.body[0], statement, resets)), None)
            if failed is not None:
                yield from self._report(
                    statement,
                    what=f"`{_statement_text(statement)}` also runs after the `except` clause "
                         f"(line {failed.lineno}) has handled a failure, so that failure is "
                         "recorded as a success",
                    fix="return from the `except` clause, or set the success value inside the "
                        "`try` after the output validation")

    def _failure_handlers(self, guard: ast.Try) -> list[ast.ExceptHandler]:
        """The `except` clauses of `guard` and of the tries inside it around a governed step
        (the execution, a validation, the lookup): where a failure is handled."""
        calls = self.calls
        steps = [*calls.executions, *calls.output_validations, *calls.input_validations,
                 *calls.lookups]
        tries = [guard] + [node for node in walk_local(guard) if isinstance(node, TRY_NODES)
                           and node is not guard
                           and any(_inside(self.ctx, step, node, "body") for step in steps)]
        return [handler for statement in tries for handler in statement.handlers]

    def _later_step(self, statement: ast.stmt, guard: ast.Try,
                    resets: list[ast.stmt]) -> ast.AST | None:
        calls = self.calls
        steps = [*calls.output_validations, *calls.executions, *calls.input_validations,
                 *calls.lookups]
        steps = [step for step in steps if _inside(self.ctx, step, guard, "body")
                 and not _within(self.ctx, step, statement)]
        later = [step for step in steps if self.flow.may_precede(statement, step, resets)]
        return min(later, key=lambda node: (node.lineno, node.col_offset)) if later else None

    def _success_return(self, guard: ast.Try) -> ast.Return | None:
        returns = [node for part in guard.body for node in ast.walk(part)
                   if isinstance(node, ast.Return)]
        return min(returns, key=lambda node: node.lineno) if returns else None

    # -- the outcome: a handle of a context-managed update -----------------------------------

    def _handle(self, update: ast.Call) -> Iterator[Finding]:
        item = self.ctx.parents.get(update)
        statement = self.ctx.parents.get(item)
        handle = item.optional_vars if isinstance(item, ast.withitem) else None
        if not isinstance(handle, ast.Name) or not isinstance(statement, (ast.With, ast.AsyncWith)):
            return
        calls = self.calls
        steps = calls.executions or (*calls.output_validations, *calls.input_validations,
                                     *calls.lookups)
        guard = next((node for node in walk_local(statement) if isinstance(node, TRY_NODES)
                      and any(_inside(self.ctx, step, node, "body") for step in steps)), None)
        if guard is None:
            return
        marks: list[tuple[ast.stmt, str]] = []
        for node in walk_local(statement):
            polarity = _mark(node, handle.id)
            if polarity is not None:
                marks.append((_statement_of(self.ctx, node), polarity))
        successes = [mark for mark, polarity in marks if polarity == SUCCESS]
        reset = bool(guard.handlers) and all(
            any(mark in handler.body and polarity == FAILURE for mark, polarity in marks)
            for handler in guard.handlers)
        failures = [mark for mark, polarity in marks if polarity == FAILURE]
        yield from self._success_marks(successes, guard, reset, f"`{handle.id}`", failures)


def _mark(node: ast.AST, handle: str) -> str | None:
    """The outcome `node` marks on the handle: `run.succeeded()`, `run.mark_failed()`,
    `run.ok = True`."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
            and isinstance(node.func.value, ast.Name) and node.func.value.id == handle:
        return name_polarity(node.func.attr)
    if isinstance(node, ast.Assign) and len(node.targets) == 1:
        target = node.targets[0]
        constant = bool_constant(node.value)
        if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) \
                and target.value.id == handle:
            meaning = name_polarity(target.attr)
            if constant is not None and meaning is not None:
                return meaning if constant else opposite(meaning)
            return literal_polarity(node.value)
    return None


def _statement_of(ctx: FileContext, node: ast.AST) -> ast.stmt:
    current = node
    while not isinstance(current, ast.stmt):
        current = ctx.parents[current]
    return current


def _within(ctx: FileContext, node: ast.AST, ancestor: ast.AST) -> bool:
    current = ctx.parents.get(node)
    while current is not None:
        if current is ancestor:
            return True
        current = ctx.parents.get(current)
    return False


def _conditional_in(ctx: FileContext, node: ast.AST, statement: ast.Try) -> bool:
    """Whether `node`, in the `finally` of `statement`, runs only under a condition there."""
    current = ctx.parents.get(node)
    while current is not None and current is not statement:
        if isinstance(current, (ast.If, ast.IfExp, ast.Match, ast.For, ast.AsyncFor, ast.While,
                                ast.BoolOp)):
            return True
        current = ctx.parents.get(current)
    return False


def _statement_text(statement: ast.AST) -> str:
    text = ast.unparse(statement).splitlines()[0]
    return text if len(text) <= 60 else text[:57] + "..."


def _short(text: str, keyword: str | None) -> str:
    text = f"{keyword}={text}" if keyword else text
    return text if len(text) <= 60 else text[:57] + "..."


CHECKS = (MetricsUpdateCheck,)
