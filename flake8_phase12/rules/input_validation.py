"""GOV201-GOV204: the runner validates the input as received, first, on every path (checklist §2).

All three rules look at the runner's execution method(s) (see `execution_functions`): the
configured `runner.class`.`runner.method` (or `runner.function`) and each role of `runner.also`,
plus every other public function or method of a runner module that executes a plugin itself,
such as `run_batch`.

A call of a same-file helper counts as a call of the validator when the helper calls it on
every path that returns normally (`self._validate(payload)` whose body calls
`validate_input_payload(payload)`): the helper call is then judged where it stands.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from flake8_phase12.analysis.local import walk_local
from flake8_phase12.rules._runner_check import RunnerFunctionCheck
from flake8_phase12.analysis.context import FileContext, Finding
from flake8_phase12.analysis.flow import (
    TRY_NODES,
    ControlFlow,
    FunctionNode,
    LocalFunctions,
)
from flake8_phase12.analysis.raising import may_fall_through
from flake8_phase12.analysis.runner import (
    describe_call,
    is_call_to,
    names_a_library_function,
    runner_calls,
    validations,
    validator_written,
)
from flake8_phase12.analysis.values import ValueOrigins, describe_alteration, local_bindings
from flake8_phase12.catalog import Rule

# The rules' documentation repeats the checklist's runner example, as each rule's page stands
# alone (exception_escape.py shows it too).
# pylint: disable=duplicate-code
INPUT_VALIDATION_MISSING = Rule(
    code="GOV201",
    symbol="input-validation-missing",
    section=2,
    title="Runner never validates the input",
    message="`{function}` never calls {validator}(...); call it on the payload first in the try "
            "body, before the plugin lookup, so invalid input becomes an error envelope",
    docs="""
    ## What it does
    Flags a runner execution method that never calls the input validator
    (`validation.input_validator`, `validate_input_payload` by default), directly or through a
    helper of the same file that calls it on every path (`self._validate(payload)`).

    The execution methods are the configured runner method (`runner.class` and
    `runner.method`, or `runner.function`), every runner role of `runner.also` (in another
    module too), and every other public function or method of a runner module that executes a
    plugin itself (for example `run_batch`, or a coroutine twin
    `run_async` with its own local names). The finding is on the first plugin lookup or
    execution, which then runs on unvalidated input.

    A configured name that the file only ever calls as a function of the standard library
    (`asyncio.to_thread`) is not a validator there, and the section 2 rules say nothing about
    that file.

    Lookups and executions are recognised by what the code does (see
    `flake8_phase12.analysis.runner`): the call or subscript a value comes from whose execution
    method is then called or handed to an executor (`catalog.resolve(name)`,
    `self._plugins[name]`), and a private helper or injected callable that executes it.

    ## Why is this bad?
    Without validation, empty images, missing MIME types and undecodable payloads reach the
    plugin, which fails in its own way (or worse, returns garbage) instead of being rejected
    with a structured error envelope.

    ## Example
    ```python
    class ToolRunner:
        def run(self, plugin_name, payload):
            try:
                plugin = self._registry.get(plugin_name)
                return validate_plugin_output(plugin.run(payload))
            except Exception as exc:
                return build_error_envelope(exc, plugin_name)
    ```

    ## Use instead
    ```python
    class ToolRunner:
        def run(self, plugin_name, payload):
            try:
                validate_input_payload(payload)
                plugin = self._registry.get(plugin_name)
                return validate_plugin_output(plugin.run(payload))
            except Exception as exc:
                return build_error_envelope(exc, plugin_name)
    ```
    """,
)

INPUT_VALIDATION_NOT_FIRST = Rule(
    code="GOV202",
    symbol="input-validation-not-first",
    section=2,
    title="Plugin lookup or execution can run before the input is validated",
    message="`{call}` {problem}; call {validator}(...) before any plugin lookup or execution, "
            "on every path (first thing in the try body)",
    docs="""
    ## What it does
    Checks, on the control-flow graph of the runner's execution method, that every path from
    the start of the method to a plugin lookup or a plugin execution first completes a call of
    the input validator. A lookup is a call or subscript whose result is then executed
    (`extractor = catalog.resolve(name)` before `extractor.process(doc)`), or one matching a
    pattern of `plugin_receivers` (`self._registry.get(name)`, `self._plugins[name]`); an
    execution is a call of the execution method, the method handed to an executor
    (`asyncio.to_thread(plugin.run, payload)`), or a call of a private helper of the module
    that executes the plugin it is given.

    The finding is reported where the fix belongs:
    - on the validator call, naming the lookup or execution, when the validator precedes it on
      some paths only (called on one branch, in a loop that may not run, in a handler that
      falls through, after an early `continue`);
    - on the lookup or execution itself when no validation precedes it at all (the validator
      is called after it, or only on other paths).

    Only the first unvalidated lookup or execution of each path is reported: an execution
    that always follows an already-reported lookup is not reported again. Lookups inside an
    `except` handler or a `finally` block (to name the plugin in the envelope or the metrics)
    are not checked; executions there (a retry) are.

    A validator that raises part-way counts as not having validated, so
    `try: validate(p) except ValueError: p = lenient(p)` followed by the lookup is flagged, on
    the validator, naming the `except` that swallows its failure. The path
    analysis and its limits are described in `flake8_phase12.analysis.flow`: every statement
    in a try body may raise into the handlers; context managers are assumed not to swallow
    exceptions, except `contextlib.suppress`.

    ## Why is this bad?
    The checklist requires validation BEFORE lookup or execution. A lookup before validation
    raises its own error (unknown plugin) for input that should have been rejected as
    invalid, and a branch that skips validation lets unchecked payloads reach the plugin.

    ## Example
    ```python
    def run(self, plugin_name, payload):
        try:
            if not payload.get("trusted"):
                validate_input_payload(payload)
            plugin = self._registry.get(plugin_name)
            ...
    ```

    ## Use instead
    ```python
    def run(self, plugin_name, payload):
        try:
            validate_input_payload(payload)
            plugin = self._registry.get(plugin_name)
            ...
    ```
    """,
)

INPUT_VALIDATION_FAILURE_ESCAPES = Rule(
    code="GOV203",
    symbol="input-validation-failure-escapes",
    section=2,
    title="Input validation failure does not become an error envelope",
    message="`{call}` is not in the body of a try with an `except` handler and its result "
            "does not short-circuit, so a validation failure escapes as a raw exception; move "
            "it into the try body guarded by `except Exception`, or return {envelope}(...) "
            "when it reports an error",
    docs="""
    ## What it does
    Flags an input validator call in the runner's execution method whose failure cannot turn
    into an error envelope. A call is fine when either:
    - it sits in the body of a `try` that has `except` handlers (section 4's rules check that
      those handlers are broad and return the envelope), or
    - its result short-circuits: the result is bound to a name (`error = validate(...)`,
      `if (error := validate(...))`) or tested directly (`if not validate(...)`), and an `if`
      on it returns the envelope (`return build_error_envelope(...)`, a name assigned from
      it, or a same-file helper that calls the envelope builder).

    When the method has no `try` with handlers at all, this rule stays silent: section 4
    reports the missing `try`, and adding it fixes both.

    Limit: a validator that reports errors by return value but is called as a bare statement
    inside the try is not flagged; the checklist's validator raises.

    ## Why is this bad?
    A validator that raises outside the try lets a `ValidationError` escape the runner as a
    raw exception: the caller gets a traceback instead of the structured error envelope.

    ## Example
    ```python
    def run(self, plugin_name, payload):
        validate_input_payload(payload)
        try:
            ...
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
    ```

    ## Use instead
    ```python
    def run(self, plugin_name, payload):
        try:
            validate_input_payload(payload)
            ...
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
    ```
    """,
)

INPUT_VALIDATION_WRONG_VALUE = Rule(
    code="GOV204",
    symbol="input-validation-wrong-value",
    section=2,
    title="Input validator applied to a changed copy of the request",
    message="`{call}` validates {argument}, so the request as received is never validated; "
            "pass the request itself",
    docs="""
    ## What it does
    Flags an input validator call in the runner's execution method whose (positional) argument
    is the request changed on the way from the method's parameters (see
    `flake8_phase12.analysis.values`): a default filled in for what the request lacks
    (`payload or {}`, `request.mime or "image/png"`, also inside a copy the runner builds,
    `Request(request.body, request.mime or "image/png")`), or a conversion (`dict(payload)`).
    A default only counts when it is a value written out in the code (`{}`, `""`, `None`); a
    fallback to another name (`limits or DEFAULT_LIMITS`) is taken as configuration. Values
    built by calls whose effect cannot be read (`decode(body)`) are taken as they are.

    ## Why is this bad?
    The checklist's audit rejects empty images, missing MIME types and undecodable payloads.
    A validator that sees a defaulted copy never sees the missing MIME type, and the plugin then
    runs on input that was never valid.

    ## Example
    ```python
    def run(self, plugin_name, payload):
        try:
            validate_input_payload({**payload, "mime": payload.get("mime") or "image/png"})
            ...
    ```

    ## Use instead
    ```python
    def run(self, plugin_name, payload):
        try:
            validate_input_payload(payload)
            ...
    ```
    """,
)

RULES = (INPUT_VALIDATION_MISSING, INPUT_VALIDATION_NOT_FIRST, INPUT_VALIDATION_FAILURE_ESCAPES,
         INPUT_VALIDATION_WRONG_VALUE)
# pylint: enable=duplicate-code


class InputValidationCheck(RunnerFunctionCheck):
    """GOV201-GOV204: the runner validates the input as received, first, on every path."""
    rules = RULES

    def check_function(self, ctx: FileContext, function: FunctionNode) -> Iterator[Finding]:
        config = ctx.config
        validator = config.validation.input_validator
        if names_a_library_function(ctx, validator):
            return  # the configured name is the standard library's here: not a validator
        helpers = LocalFunctions.around(ctx.tree, function, ctx.parents)
        checks = list(validations(ctx, function).input)
        calls = runner_calls(ctx, function)
        # A lookup in an `except` handler or a `finally` serves the error report or the metrics,
        # not an execution; an execution there (a retry) still needs validated input.
        lookups = [node for node in calls.lookups if not in_handler_or_finally(ctx, node, function)]
        targets = [*lookups, *calls.executions]
        if not checks:
            first = min(targets, key=_position) if targets else function
            yield ctx.finding(INPUT_VALIDATION_MISSING, first, function=function.name,
                              validator=validator_written(ctx, "input"))
            return
        flow = ControlFlow.of_function(function)
        yield from self._order(ctx, flow, checks, targets)
        if handled_tries(function):
            for call in checks:
                if not in_handled_try_body(ctx, call, function) \
                        and not short_circuits(ctx, function, call, helpers):
                    yield ctx.finding(INPUT_VALIDATION_FAILURE_ESCAPES, call,
                                      call=describe_call(call), envelope=config.envelope.function)
        yield from _altered_requests(ctx, function, checks)

    def _order(self, ctx: FileContext, flow: ControlFlow, checks: list[ast.Call],
               targets: list[ast.AST]) -> Iterator[Finding]:
        validator = validator_written(ctx, "input")
        unvalidated = [target for target in targets if not flow.always_preceded(target, checks)]
        # Report the first failure of each path only: a target that every path reaches through
        # another unvalidated target is the same mistake.
        first = [target for target in unvalidated
                 if not any(other is not target and flow.always_preceded(target, [other])
                            for other in unvalidated)]
        reported: set[ast.AST] = set()
        for target in sorted(first, key=_position):
            partial = [call for call in checks if flow.may_precede(call, target)]
            if partial:
                call = partial[0]
                if call in reported:
                    continue
                reported.add(call)
                handler = _swallowing_handler(ctx, call)
                if handler is not None:
                    problem = (f"has its failure caught by the `except` on line {handler.lineno}, "
                               f"which carries on to `{describe(target)}` (line {target.lineno})")
                else:
                    problem = (f"does not run before `{describe(target)}` (line {target.lineno}) "
                               "on every path")
                yield ctx.finding(INPUT_VALIDATION_NOT_FIRST, call, call=describe_call(call),
                                  problem=problem, validator=validator)
            else:
                problem = (f"runs before the input is validated ({describe_call(checks[0])} "
                           f"only runs later, on line {checks[0].lineno})")
                yield ctx.finding(INPUT_VALIDATION_NOT_FIRST, target, call=describe(target),
                                  problem=problem, validator=validator)


def _altered_requests(ctx: FileContext, function: FunctionNode,
                      checks: list[ast.Call]) -> Iterator[Finding]:
    """GOV204: the validator is given a copy of the request with a default filled in or a
    conversion applied, instead of the request as the runner received it."""
    parameters = set(_parameters(function))
    origins = ValueOrigins(local_bindings(function),
                           lambda node: isinstance(node, ast.Name) and node.id in parameters,
                           wrappers=False)
    for call in checks:
        before = (call.lineno, call.col_offset)
        for argument in call.args:
            found = origins.alteration(argument, before) if origins.derives(argument, before) \
                else None
            if found is not None:
                built = "" if found.node is argument else f"`{_short(argument)}`, built with "
                yield ctx.finding(INPUT_VALIDATION_WRONG_VALUE, call, call=describe_call(call),
                                  argument=f"{built}{describe_alteration(found)}, "
                                           f"{ALTERED[found.kind]}")
                break


ALTERED = {
    "defaulted": "a default put in place of what the request lacks",
    "converted": "a converted copy of the request",
    "wrapped": "the request wrapped in a new container",
}


def _short(node: ast.AST) -> str:
    text = " ".join(ast.unparse(node).split())
    return text if len(text) <= 40 else text[:37] + "..."


def _parameters(function: FunctionNode) -> list[str]:
    """The parameters that carry what the caller sent (not `self` or `cls`)."""
    arguments = function.args
    names = [arg.arg for arg in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)]
    return [name for name in names if name not in ("self", "cls")]


def _swallowing_handler(ctx: FileContext, call: ast.Call) -> ast.ExceptHandler | None:
    """The `except` of the nearest `try` around `call` that catches its failure and carries on
    (`except ValueError: payload = lenient(payload)`), if any."""
    child, current = call, ctx.parents.get(call)
    while current is not None and not isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef)):
        if isinstance(current, TRY_NODES) and child in current.body:
            for handler in current.handlers:
                if may_fall_through(handler.body, lambda statement: False):
                    return handler
            return None
        child, current = current, ctx.parents.get(current)
    return None


def in_handler_or_finally(ctx: FileContext, node: ast.AST, function: FunctionNode) -> bool:
    child, current = node, ctx.parents.get(node)
    while current is not None and current is not function:
        if isinstance(current, TRY_NODES) and _part_of(current, child) in ("handler", "finalbody"):
            return True
        child, current = current, ctx.parents.get(current)
    return False


def handled_tries(function: FunctionNode) -> list[ast.Try]:
    """The `try` statements of `function` that have `except` handlers."""
    return [node for node in walk_local(function)
            if isinstance(node, TRY_NODES) and node.handlers]


def in_handled_try_body(ctx: FileContext, node: ast.AST, function: FunctionNode) -> bool:
    """Whether an exception raised by `node` reaches the handlers of some enclosing `try`."""
    return handled_placement(ctx, node, function) is None


def handled_placement(ctx: FileContext, node: ast.AST, function: FunctionNode) -> str | None:
    """None when `node` sits in the body of a `try` with handlers (at any depth); otherwise
    where it sits instead: 'handler', 'orelse', 'finalbody' of the nearest try, or 'outside'."""
    child, current = node, ctx.parents.get(node)
    first_part: str | None = None
    while current is not None and current is not function:
        if isinstance(current, TRY_NODES):
            part = _part_of(current, child)
            if part == "body" and current.handlers:
                return None
            if first_part is None and part != "body":
                first_part = part
        child, current = current, ctx.parents.get(current)
    return first_part or "outside"


def _part_of(statement: ast.Try, child: ast.AST) -> str:
    for part in ("body", "orelse", "finalbody"):
        if child in getattr(statement, part):
            return part
    return "handler"


def short_circuits(ctx: FileContext, function: FunctionNode, call: ast.Call,
                   helpers: LocalFunctions) -> bool:
    """`error = validate(p)` / `if (e := validate(p))` / `if not validate(p)` followed by an
    `if` on it that returns the error envelope."""
    names = _result_names(ctx, call)
    envelope = ctx.config.envelope.function
    for node in walk_local(function):
        if not isinstance(node, ast.If) or node.lineno < call.lineno:
            continue
        tested = any(part is call or (isinstance(part, ast.Name) and part.id in names)
                     for part in ast.walk(node.test))
        if tested and _returns_envelope(node, function, envelope, helpers):
            return True
    return False


def _result_names(ctx: FileContext, call: ast.Call) -> set[str]:
    """Names the validator's result is bound to: `error = validate(...)`, walrus, `await`."""
    value: ast.AST = call
    parent = ctx.parents.get(value)
    if isinstance(parent, ast.Await):
        value, parent = parent, ctx.parents.get(parent)
    if isinstance(parent, ast.NamedExpr) and parent.value is value:
        return {parent.target.id}
    if isinstance(parent, ast.Assign) and parent.value is value:
        return {name.id for target in parent.targets for name in ast.walk(target)
                if isinstance(name, ast.Name)}
    if isinstance(parent, ast.AnnAssign) and parent.value is value \
            and isinstance(parent.target, ast.Name):
        return {parent.target.id}
    return set()


def _returns_envelope(statement: ast.If, function: FunctionNode, envelope: str,
                      helpers: LocalFunctions) -> bool:
    builders = envelope_names(function, envelope)
    for branch in (statement.body, statement.orelse):
        for part in branch:
            for node in [part, *walk_local(part)]:
                if isinstance(node, ast.Return) and node.value is not None \
                        and _builds_envelope(node.value, builders, envelope, helpers):
                    return True
    return False


def envelope_names(function: FunctionNode, envelope: str) -> set[str]:
    """Names assigned from an envelope call in `function` (`envelope = build_error_envelope(...)`)."""
    names: set[str] = set()
    for node in walk_local(function):
        if isinstance(node, ast.Assign) and any(is_call_to(part, envelope)
                                                for part in ast.walk(node.value)):
            names.update(target.id for target in node.targets if isinstance(target, ast.Name))
    return names


def _builds_envelope(value: ast.AST, builders: set[str], envelope: str,
                     helpers: LocalFunctions) -> bool:
    for node in ast.walk(value):
        if isinstance(node, ast.Name) and node.id in builders:
            return True
        if isinstance(node, ast.Call):
            if is_call_to(node, envelope):
                return True
            helper = helpers.resolve(node)
            if helper is not None and any(is_call_to(part, envelope) for part in walk_local(helper)):
                return True
    return False


def describe(node: ast.AST) -> str:
    """Short source text for a lookup or execution: `self._registry.get(...)`, `plugins[...]`."""
    if isinstance(node, ast.Call):
        return describe_call(node)
    text = ast.unparse(node)
    return text if len(text) <= 60 else text[:57] + "..."


def _position(node: ast.AST) -> tuple[int, int]:
    return getattr(node, "lineno", 0), getattr(node, "col_offset", 0)


CHECKS = (InputValidationCheck,)
