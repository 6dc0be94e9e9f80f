"""GOV301-GOV305: the runner validates the plugin's output after execution, inside the try, on
every path to the success return, on the value the plugin returned (checklist §3).

The rules look at the same execution methods as section 2 (see `execution_functions`) and only
at those that execute a plugin themselves: without a recognisable execution (configure
`execution_methods` and `plugin_receivers`) there is no output to validate and they stay silent.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from flake8_phase12.analysis.context import FileContext, Finding
from flake8_phase12.analysis.envelopes import EnvelopeValues
from flake8_phase12.analysis.flow import (
    TRY_NODES,
    ControlFlow,
    FunctionNode,
    LocalFunctions,
    suppress_calls,
)
from flake8_phase12.analysis.local import walk_local
from flake8_phase12.analysis.names import dotted_name
from flake8_phase12.analysis.raising import may_fall_through
from flake8_phase12.analysis.runner import (
    carries_execution,
    describe_call,
    execution_values,
    names_a_library_function,
    runner_calls,
    validations,
    validator_written,
)
from flake8_phase12.rules._runner_check import RunnerFunctionCheck
from flake8_phase12.analysis.values import ValueOrigins, describe_alteration, local_bindings
from flake8_phase12.catalog import Rule
from flake8_phase12.rules.input_validation import describe, handled_placement, handled_tries

OUTPUT_VALIDATION_MISSING = Rule(
    code="GOV301",
    symbol="output-validation-missing",
    section=3,
    title="Runner never validates the plugin's output",
    message="`{function}` executes `{execution}` but never calls {validator}(...) on its "
            "result; validate the returned value inside the try, right after the execution",
    docs="""
    ## What it does
    Flags a runner execution method that executes a plugin but never calls the output
    validator (`validation.output_validator`, `validate_plugin_output` by default), directly
    or through a same-file helper that calls it on every path. The finding is on the first
    execution, whose result goes out unchecked.

    When the input and output validators have the same name (`InputGate.check` and
    `OutputGate.check`, both configured as `check`), a call given a value the execution
    returned is the output validation, any other the input one. A configured name that the
    file only ever calls as a function of the standard library (`asyncio.to_thread`) is not a
    validator there, and the section 3 rules say nothing about that file.

    ## Why is this bad?
    A plugin that returns `None`, a list or a malformed dict passes straight to the API,
    which then fails far from the cause or answers with a broken shape. The checklist
    requires `None` and non-dict outputs to become error envelopes.

    ## Example
    ```python
    try:
        validate_input_payload(payload)
        plugin = self._registry.get(plugin_name)
        return plugin.run(payload)
    except Exception as exc:
        return build_error_envelope(exc, plugin_name)
    ```

    ## Use instead
    ```python
    try:
        validate_input_payload(payload)
        plugin = self._registry.get(plugin_name)
        raw_output = plugin.run(payload)
        return validate_plugin_output(raw_output)
    except Exception as exc:
        return build_error_envelope(exc, plugin_name)
    ```
    """,
)

OUTPUT_VALIDATION_BEFORE_EXECUTION = Rule(
    code="GOV302",
    symbol="output-validation-before-execution",
    section=3,
    title="Output validated before the plugin has run",
    message="`{call}` can run before, or without, the plugin execution (`{execution}`, line "
            "{line}); validate the value the execution returned, after it, on every path",
    docs="""
    ## What it does
    Checks, on the control-flow graph of the runner's execution method, that every path to an
    output validator call first completes a plugin execution. The validator wrapped around
    the execution (`validate_plugin_output(plugin.run(payload))`) runs after it and is fine.

    Not reported for a call that GOV303 already reports (outside the try).

    ## Why is this bad?
    A validation that runs before the plugin checks nothing the plugin produced: the real
    output then reaches the caller unchecked.

    ## Example
    ```python
    try:
        validate_input_payload(payload)
        output = validate_plugin_output(self._cache.get(plugin_name))
        raw_output = plugin.run(payload)
        return raw_output
    ```

    ## Use instead
    ```python
    try:
        validate_input_payload(payload)
        raw_output = plugin.run(payload)
        return validate_plugin_output(raw_output)
    ```
    """,
)

OUTPUT_VALIDATION_OUTSIDE_TRY = Rule(
    code="GOV303",
    symbol="output-validation-outside-try",
    section=3,
    title="Output validated outside the try",
    message="`{call}` is {where}, not in the try body: an invalid output raises past the "
            "`except` handler instead of becoming an error envelope; move it into the try "
            "body, right after the execution",
    docs="""
    ## What it does
    Flags an output validator call in the runner's execution method that is not in the body
    of a `try` with `except` handlers: after the `try`, before it, in an `except` handler, in
    the `finally`, or in the `try`'s `else:` block.

    `else:` counts as outside on purpose: the checklist says "inside try block", and an
    exception raised in `else:` is NOT caught by that try's handlers, so an invalid output
    would escape as a raw exception.

    When the method has no `try` with handlers at all, this rule stays silent: section 4
    reports the missing `try`.

    ## Why is this bad?
    The output validator raises on `None` or non-dict outputs. Outside the guarded try body
    that exception escapes the runner raw, instead of being turned into the error envelope
    by the broad handler.

    ## Example
    ```python
    try:
        raw_output = plugin.run(payload)
    except Exception as exc:
        return build_error_envelope(exc, plugin_name)
    return validate_plugin_output(raw_output)
    ```

    ## Use instead
    ```python
    try:
        raw_output = plugin.run(payload)
        return validate_plugin_output(raw_output)
    except Exception as exc:
        return build_error_envelope(exc, plugin_name)
    ```
    """,
)

OUTPUT_VALIDATION_WRONG_VALUE = Rule(
    code="GOV304",
    symbol="output-validation-wrong-value",
    section=3,
    title="Output validator applied to something other than the plugin's output",
    message="`{call}` validates {argument}, not the value the plugin execution returned; pass "
            "the result of `{execution}` (e.g. `raw_output = {execution}`, then "
            "{validator}(raw_output))",
    docs="""
    ## What it does
    Flags an output validator call none of whose arguments carries the value a plugin
    execution returned. Accepted: the execution itself
    (`validate_plugin_output(plugin.run(p))`, also awaited or handed to an executor, e.g.
    `asyncio.wait_for`, `asyncio.to_thread(plugin.run, p)`), or a local name bound from it,
    directly or through other local names (`raw = await plugin.run(p)`,
    `output = raw["result"]`). The tracking is by name and flow-insensitive within the method.

    Also flags a validator given the output changed on the way (see
    `flake8_phase12.analysis.values`): a default put in its place (`validate(raw or {})`,
    `validate(raw if raw is not None else {})`), a conversion or copy (`validate(dict(raw))`,
    `str(raw)`), or the output wrapped in a new container (`validate({"data": raw})`). A call
    whose effect cannot be read (`normalise(raw)`) is taken as it is.

    ## Why is this bad?
    Validating the input payload, a cached value or a constant a second time leaves the
    plugin's real output unchecked. Validating a defaulted or converted copy lets exactly the
    outputs the checklist rejects (`None`, a list) through as successes: `None or {}` is a
    valid empty dict.

    ## Example
    ```python
    raw_output = plugin.run(payload)
    validate_plugin_output(payload)
    return raw_output
    ```

    ## Use instead
    ```python
    raw_output = plugin.run(payload)
    return validate_plugin_output(raw_output)
    ```
    """,
)

OUTPUT_VALIDATION_BYPASSED = Rule(
    code="GOV305",
    symbol="output-validation-bypassed",
    section=3,
    title="Output validation can be skipped or its failure swallowed before the success return",
    message="`{call}` {problem}; call {validator}(...) on every path to the success return "
            "and let its failure reach the `except` that returns the envelope",
    docs="""
    ## What it does
    Checks, on the control-flow graph of the runner's execution method, that every path from
    a plugin execution to a success `return` completes the output validation. A path may
    leave through an `except` clause that returns the envelope (or raises): that is where a
    failed validation belongs. Reported at the cause:

    - a validator that runs only on one branch of a conditional expression or a boolean
      operator (`validate(raw) if raw is not None else {}`, `raw is None or validate(raw)`);
    - a validator inside an inner `try` whose `except` catches its failure and carries on
      (`try: output = validate(raw) except ValueError: output = {}`);
    - otherwise the `return` itself, reached without validation (an `if` that skips it).

    A validator outside the guarded body altogether is GOV303's.

    ## Why is this bad?
    The checklist wants `None` and non-dict outputs to become error envelopes. A branch that
    skips the validator, or a handler that replaces a rejected output with a made-up one, turns
    exactly those outputs into successes: the caller gets `{}` instead of the error, and the
    metrics count a failure as a success.

    ## Example
    ```python
    try:
        raw_output = plugin.run(payload)
        try:
            output = validate_plugin_output(raw_output)
        except ValueError:
            output = {}
        return output
    except Exception as exc:
        return build_error_envelope(exc, plugin_name)
    ```

    ## Use instead
    ```python
    try:
        raw_output = plugin.run(payload)
        return validate_plugin_output(raw_output)
    except Exception as exc:
        return build_error_envelope(exc, plugin_name)
    ```
    """,
)

RULES = (OUTPUT_VALIDATION_MISSING, OUTPUT_VALIDATION_BEFORE_EXECUTION,
         OUTPUT_VALIDATION_OUTSIDE_TRY, OUTPUT_VALIDATION_WRONG_VALUE, OUTPUT_VALIDATION_BYPASSED)

PLACEMENTS = {
    "orelse": "in the try's `else:` block",
    "handler": "in an `except` handler",
    "finalbody": "in the `finally` block",
}


class OutputValidationCheck(RunnerFunctionCheck):
    """GOV301-GOV305: the runner validates every plugin output before returning it."""
    rules = RULES

    def check_function(self, ctx: FileContext, function: FunctionNode) -> Iterator[Finding]:
        executions = list(runner_calls(ctx, function).executions)
        if not executions:
            return
        validator = ctx.config.validation.output_validator
        if names_a_library_function(ctx, validator):
            return  # the configured name is the standard library's here: not a validator
        execution = describe(executions[0])
        checks = list(validations(ctx, function).output)
        if not checks:
            yield ctx.finding(OUTPUT_VALIDATION_MISSING, executions[0], function=function.name,
                              execution=execution, validator=validator_written(ctx, "output"))
            return
        flow = ControlFlow.of_function(function)
        guarded = bool(handled_tries(function))
        carriers = execution_values(function, executions)
        origins = ValueOrigins(local_bindings(function), lambda node: node in executions,
                               wrappers=True)
        outside: list[ast.Call] = []
        for call in checks:
            placement = handled_placement(ctx, call, function)
            if placement is not None and guarded:
                outside.append(call)
                where = PLACEMENTS.get(placement) or _outside(call, handled_tries(function))
                yield ctx.finding(OUTPUT_VALIDATION_OUTSIDE_TRY, call, call=describe_call(call),
                                  where=where)
            elif call not in executions and not flow.always_preceded(call, executions):
                yield ctx.finding(OUTPUT_VALIDATION_BEFORE_EXECUTION, call,
                                  call=describe_call(call), execution=execution,
                                  line=executions[0].lineno)
            if not carries_execution(call, carriers, executions):
                yield ctx.finding(OUTPUT_VALIDATION_WRONG_VALUE, call, call=describe_call(call),
                                  argument=_arguments(call), execution=execution,
                                  validator=dotted_name(call.func) or validator)
                continue
            altered = _altered_argument(call, origins, executions)
            if altered is not None:
                yield ctx.finding(OUTPUT_VALIDATION_WRONG_VALUE, call, call=describe_call(call),
                                  argument=altered, execution=execution,
                                  validator=dotted_name(call.func) or validator)
        if not outside:
            yield from _bypasses(ctx, function, flow, executions, checks)


def _altered_argument(call: ast.Call, origins: ValueOrigins,
                      executions: list[ast.AST]) -> str | None:
    """How the output was changed before the validator saw it: `raw or {}`, `dict(raw)`."""
    if call in executions:
        return None
    before = (call.lineno, call.col_offset)
    for argument in [*call.args, *(keyword.value for keyword in call.keywords)]:
        if not origins.derives(argument, before):
            continue
        found = origins.alteration(argument, before)
        if found is not None:
            return f"{describe_alteration(found)}, {ALTERED[found.kind]}"
    return None


ALTERED = {
    "defaulted": "the output with a default put in its place when it is missing",
    "converted": "a converted copy of the output",
    "wrapped": "the output wrapped in a new container",
}


def _bypasses(ctx: FileContext, function: FunctionNode, flow: ControlFlow,
              executions: list[ast.AST], checks: list[ast.Call]) -> Iterator[Finding]:
    """GOV305: a path from an execution to a success `return` that does not complete the
    output validation: a conditional around the validator, or an inner `except` that swallows
    its failure. The handlers that build the envelope are the failure's way out, not a bypass."""
    validator = validator_written(ctx, "output")
    helpers = LocalFunctions.around(ctx.tree, function, ctx.parents)
    envelopes = EnvelopeValues(ctx.config.envelope.function, helpers)
    tries = [node for node in walk_local(function) if isinstance(node, TRY_NODES)]
    barriers = [handler for node in tries for handler in node.handlers
                if _ends_the_failure(handler, envelopes)]
    # What a handler of the try around the execution returns is section 4's (GOV406).
    # A `return` in a `finally` is reached by every failure too, whatever it returns.
    excluded = {id(inner) for node in tries for handler in node.handlers
                if handler in barriers or _holds_any(node.body, executions)
                for inner in walk_local(handler)}
    excluded.update(id(inner) for node in tries for statement in node.finalbody
                    for inner in (statement, *walk_local(statement)))
    local_envelopes = envelopes.locals_in(function)
    returns = [node for node in walk_local(function) if isinstance(node, ast.Return)
               and id(node) not in excluded and node.value is not None
               and not envelopes.is_envelope(node.value, local_envelopes)]
    bypassed = [target for target in returns
                if any(flow.may_bypass(execution, target, checks, barriers)
                       for execution in executions)]
    if not bypassed:
        return
    target = bypassed[0]
    reported = False
    for call in checks:
        cause = _cause(ctx, function, flow, call, (barriers, executions, target))
        if cause is SECTION_4:
            reported = True  # the construct swallows the execution's errors too: GOV407's
        elif cause is not None:
            reported = True
            yield ctx.finding(OUTPUT_VALIDATION_BYPASSED, call, call=describe_call(call),
                              problem=cause, validator=validator)
    if not reported:
        for target in bypassed:
            yield ctx.finding(OUTPUT_VALIDATION_BYPASSED, target,
                              call=f"return {_snippet(target.value)}",
                              problem="can return the output without its validation after "
                                      f"`{describe(executions[0])}` (line {executions[0].lineno})",
                              validator=validator)


def _ends_the_failure(handler: ast.ExceptHandler, envelopes: EnvelopeValues) -> bool:
    """An `except` clause that turns the failure into the envelope, or passes it on."""
    return envelopes.builds_in(handler) \
        or any(isinstance(node, ast.Raise) for node in walk_local(handler))


# The cause of a bypass is a construct section 4 reports (GOV407): it swallows the
# execution's own errors as well as the validation's.
SECTION_4 = "section 4"


def _cause(ctx: FileContext, function: FunctionNode, flow: ControlFlow, call: ast.Call,
           around: tuple[list[ast.ExceptHandler], list[ast.AST], ast.Return]) -> str | None:
    """Why `call` may not complete before the success return `target`, if it is the reason."""
    barriers, executions, target = around
    if not flow.unconditionally_evaluated(call):
        parent = ctx.parents.get(call)
        while parent is not None and not isinstance(parent, (ast.IfExp, ast.BoolOp, ast.stmt)):
            parent = ctx.parents.get(parent)
        shape = "a conditional expression" if isinstance(parent, ast.IfExp) else "a condition"
        return (f"only runs on one branch of {shape}, so the output can reach the `return` "
                f"on line {target.lineno} unvalidated")
    child, current = call, ctx.parents.get(call)
    while current is not None and current is not function:
        if isinstance(current, TRY_NODES) and child in current.body:
            swallowing = [handler for handler in current.handlers if handler not in barriers
                          and may_fall_through(handler.body, lambda statement: False)]
            if swallowing and _holds_any(current.body, executions):
                return SECTION_4
            if swallowing:
                return (f"has its failure caught by the `except` on line {swallowing[0].lineno}, "
                        "which carries on, so an invalid output becomes a success "
                        f"(`return` on line {target.lineno})")
            return None
        if isinstance(current, (ast.With, ast.AsyncWith)) and suppress_calls(current):
            if _holds_any(current.body, executions):
                return SECTION_4
            return (f"has its failure swallowed by `{_snippet(suppress_calls(current)[0])}`, "
                    f"so an invalid output becomes a success (`return` on line {target.lineno})")
        child, current = current, ctx.parents.get(current)
    return None


def _holds_any(statements: list[ast.stmt], nodes: list[ast.AST]) -> bool:
    wanted = {id(node) for node in nodes}
    return any(id(inner) in wanted for statement in statements
               for inner in (statement, *walk_local(statement)))


def _snippet(node: ast.AST) -> str:
    text = " ".join(ast.unparse(node).split())
    return text if len(text) <= 50 else text[:47] + "..."


def _outside(call: ast.Call, tries: list[ast.Try]) -> str:
    after = [statement for statement in tries if (statement.end_lineno or 0) < call.lineno]
    if after:
        return f"after the `try` statement of line {after[-1].lineno}"
    return f"before the `try` statement of line {tries[0].lineno}"


def _arguments(call: ast.Call) -> str:
    arguments = [*call.args, *(keyword.value for keyword in call.keywords)]
    if not arguments:
        return "nothing"
    text = ", ".join(f"`{ast.unparse(argument)}`" for argument in arguments)
    return text if len(text) <= 60 else text[:57] + "..."


CHECKS = (OutputValidationCheck,)
