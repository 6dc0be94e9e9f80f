"""GOV301-GOV304: the runner validates the plugin's output after execution, inside the try
(checklist §3).

The rules look at the same execution methods as section 2 (see `execution_functions`) and only
at those that execute a plugin themselves: without a recognisable execution (configure
`execution_methods` and `plugin_receivers`) there is no output to validate and they stay silent.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from flake8_phase12.analysis.runner_check import RunnerFunctionCheck
from flake8_phase12.analysis.context import FileContext, Finding
from flake8_phase12.analysis.flow import ControlFlow, FunctionNode, LocalFunctions
from flake8_phase12.analysis.runner import (
    describe_call,
    is_call_to,
    runner_calls,
    walk_local,
)
from flake8_phase12.catalog import Rule
from flake8_phase12.rules.input_validation import describe, handled_placement, handled_tries

OUTPUT_VALIDATION_MISSING = Rule(
    code="GOV301",
    symbol="output-validation-missing",
    section=3,
    title="Runner never validates the plugin's output",
    checklist_item="Plugin output validated AFTER execution",
    message="`{function}` executes `{execution}` but never calls {validator}(...) on its "
            "result; validate the returned value inside the try, right after the execution",
    docs="""
    ## What it does
    Flags a runner execution method that executes a plugin but never calls the output
    validator (`validation.output_validator`, `validate_plugin_output` by default), directly
    or through a same-file helper that calls it on every path.

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
    checklist_item="Plugin output validated AFTER execution",
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
    checklist_item="validate_plugin_output(raw_output) is called inside try block",
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
    checklist_item="validate_plugin_output(raw_output)",
    message="`{call}` validates {argument}, not the value the plugin execution returned; pass "
            "the result of `{execution}` (e.g. `raw_output = {execution}`, then "
            "{validator}(raw_output))",
    docs="""
    ## What it does
    Flags an output validator call none of whose arguments carries the value a plugin
    execution returned. Accepted: the execution itself
    (`validate_plugin_output(plugin.run(p))`, also awaited or wrapped, e.g. in
    `asyncio.wait_for`), or a local name bound from it, directly or through other local names
    (`raw = await plugin.run(p)`, `output = raw["result"]`). The tracking is by name and
    flow-insensitive within the method.

    ## Why is this bad?
    Validating the input payload, a cached value or a constant a second time leaves the
    plugin's real output unchecked.

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

RULES = (OUTPUT_VALIDATION_MISSING, OUTPUT_VALIDATION_BEFORE_EXECUTION,
         OUTPUT_VALIDATION_OUTSIDE_TRY, OUTPUT_VALIDATION_WRONG_VALUE)

PLACEMENTS = {
    "orelse": "in the try's `else:` block",
    "handler": "in an `except` handler",
    "finalbody": "in the `finally` block",
}


class OutputValidationCheck(RunnerFunctionCheck):
    """GOV301-GOV304: the runner validates every plugin output before returning it."""
    rules = RULES

    def check_function(self, ctx: FileContext, function: FunctionNode) -> Iterator[Finding]:
        executions = list(runner_calls(ctx, function).executions)
        if not executions:
            return
        validator = ctx.config.validation.output_validator
        execution = describe(executions[0])
        helpers = LocalFunctions.around(ctx.tree, function, ctx.parents)
        validations = helpers.calls_performing(function, lambda call: is_call_to(call, validator))
        if not validations:
            yield ctx.finding(OUTPUT_VALIDATION_MISSING, function, function=function.name,
                              execution=execution, validator=validator)
            return
        flow = ControlFlow.of_function(function)
        guarded = bool(handled_tries(function))
        carriers = execution_values(function, executions)
        for call in validations:
            placement = handled_placement(ctx, call, function)
            if placement is not None and guarded:
                where = PLACEMENTS.get(placement) or _outside(call, handled_tries(function))
                yield ctx.finding(OUTPUT_VALIDATION_OUTSIDE_TRY, call, call=describe_call(call),
                                  where=where)
            elif not flow.always_preceded(call, executions):
                yield ctx.finding(OUTPUT_VALIDATION_BEFORE_EXECUTION, call,
                                  call=describe_call(call), execution=execution,
                                  line=executions[0].lineno)
            if not _carries(call, carriers, executions):
                yield ctx.finding(OUTPUT_VALIDATION_WRONG_VALUE, call, call=describe_call(call),
                                  argument=_arguments(call), execution=execution,
                                  validator=validator)


def _outside(call: ast.Call, tries: list[ast.Try]) -> str:
    after = [statement for statement in tries if (statement.end_lineno or 0) < call.lineno]
    if after:
        return f"after the `try` statement of line {after[-1].lineno}"
    return f"before the `try` statement of line {tries[0].lineno}"


def execution_values(function: FunctionNode, executions: list[ast.AST]) -> set[str]:
    """Local names that hold (something derived from) a value a plugin execution returned."""
    names: set[str] = set()
    bindings = list(_bindings(function))
    changed = True
    while changed:
        changed = False
        for targets, value in bindings:
            if not targets <= names and _mentions(value, names, executions):
                names |= targets
                changed = True
    return names


def _bindings(function: FunctionNode) -> Iterator[tuple[set[str], ast.AST]]:
    for node in walk_local(function):
        if isinstance(node, ast.Assign):
            yield _names(node.targets), node.value
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)) and node.value is not None:
            yield _names([node.target]), node.value
        elif isinstance(node, ast.NamedExpr):
            yield {node.target.id}, node.value
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                if item.optional_vars is not None:
                    yield _names([item.optional_vars]), item.context_expr


def _names(targets: list[ast.expr]) -> set[str]:
    return {node.id for target in targets for node in ast.walk(target)
            if isinstance(node, ast.Name)}


def _mentions(value: ast.AST, names: set[str], executions: list[ast.AST]) -> bool:
    return any(node in executions or (isinstance(node, ast.Name) and node.id in names)
               for node in ast.walk(value))


def _carries(call: ast.Call, names: set[str], executions: list[ast.AST]) -> bool:
    arguments = [*call.args, *(keyword.value for keyword in call.keywords)]
    return any(_mentions(argument, names, executions) for argument in arguments)


def _arguments(call: ast.Call) -> str:
    arguments = [*call.args, *(keyword.value for keyword in call.keywords)]
    if not arguments:
        return "nothing"
    text = ", ".join(f"`{ast.unparse(argument)}`" for argument in arguments)
    return text if len(text) <= 60 else text[:57] + "..."


CHECKS = (OutputValidationCheck,)
