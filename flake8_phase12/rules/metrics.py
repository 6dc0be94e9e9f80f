"""GOV501-GOV504: the runner updates the registry metrics in `finally`, on every path, with a
known lifecycle state (checklist §5, runner side; the registry side is `registry_metrics`).

The rules look at the same execution methods as section 2 (see `execution_functions`).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from flake8_phase12.analysis.runner_check import RunnerFunctionCheck
from flake8_phase12.analysis.context import FileContext, Finding
from flake8_phase12.analysis.flow import (
    TRY_NODES,
    ControlFlow,
    FunctionNode,
    LocalFunctions,
)
from flake8_phase12.analysis.names import last_name
from flake8_phase12.analysis.runner import (
    describe_call,
    is_call_to,
    runner_calls,
    walk_local,
)
from flake8_phase12.catalog import Rule
from flake8_phase12.config.model import Config

METRICS_UPDATE_MISSING = Rule(
    code="GOV501",
    symbol="metrics-update-missing",
    section=5,
    title="Runner never updates the registry metrics",
    checklist_item="update_execution_metrics(...) called in finally block",
    message="`{function}` never calls {metrics}(...); call it in the `finally` of the try "
            "around the execution, so every execution is recorded",
    docs="""
    ## What it does
    Flags a runner execution method that never calls the metrics update
    (`metrics.function`, `update_execution_metrics` by default), directly or through a
    same-file helper that calls it on every path.

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
    checklist_item="update_execution_metrics(...) called in finally block",
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
    checklist_item="update_execution_metrics(...) called in finally block",
    message="some path through the `finally` skips `{call}` (line {line}) because {reason}; "
            "call it unconditionally at the top level of the `finally`, before any return",
    docs="""
    ## What it does
    Checks, on the control-flow graph of the `finally` block, that every way through it
    (falling off its end, `return`, `break`, `continue`, an explicit `raise`) attempts a
    metrics update. Several updates together may cover the paths
    (`if ok: update(..., SUCCESS) else: update(..., ERROR)`).

    Reported on the statement of the `finally` that makes the update conditional (an `if`,
    a loop that may run zero times, a `match` without a catch-all case, a nested `try`) or on
    the update itself when an earlier `return`/`raise`/`break`/`continue` leaves the
    `finally` before it or it sits in a conditional expression (`ok and update(...)`).
    An exception raised by an ordinary statement before the update is not counted as a path
    (see `flake8_phase12.analysis.flow`).

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
    checklist_item="state updated to SUCCESS or ERROR",
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

RULES = (METRICS_UPDATE_MISSING, METRICS_UPDATE_OUTSIDE_FINALLY, METRICS_UPDATE_NOT_ON_EVERY_PATH,
         METRICS_STATE_UNKNOWN)

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
    """GOV501-GOV504: the runner updates the registry metrics on every path, success or failure."""
    rules = RULES

    def check_function(self, ctx: FileContext, function: FunctionNode) -> Iterator[Finding]:
        metrics = ctx.config.metrics.function
        helpers = LocalFunctions.around(ctx.tree, function, ctx.parents)
        updates = helpers.calls_performing(function, lambda call: is_call_to(call, metrics))
        if not updates:
            yield ctx.finding(METRICS_UPDATE_MISSING, function, function=function.name,
                              metrics=metrics)
            return
        executions = runner_calls(ctx, function).executions
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
        if flow.always_runs(calls, raise_exits=True):
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


CHECKS = (MetricsUpdateCheck,)
