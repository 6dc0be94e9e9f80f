"""GOV401-GOV407: no raw exception escapes the runner (checklist §4, structured error handling).

All seven rules look at the runner module only, and only when it defines the configured
execution method (`ToolRunner.run` by default, or the plain function; see
`analysis.runner.runner_methods`): that method, and every other public way into the runner that
executes a plugin itself (`analysis.runner.execution_functions`, as sections 2, 3 and 5 use).
Their plugin lookup, validation and execution must sit in a `try` whose `except Exception`
clause returns the envelope built by `build_error_envelope`. Where the input validator, the
output validator and the metrics update sit is owned by the rules of sections 2, 3 and 5, so
those calls are never reported here.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cached_property

from flake8_phase12.analysis.check import Check
from flake8_phase12.analysis.context import FileContext, Finding
from flake8_phase12.analysis.envelopes import EnvelopeValues, name_bindings
from flake8_phase12.analysis.flow import ControlFlow, FlowTooLarge, LocalFunctions, suppress_calls
from flake8_phase12.analysis.names import dotted_name, is_declaration, last_name
from flake8_phase12.analysis.raising import (
    Breadth,
    ExceptionClasses,
    FunctionScan,
    Located,
    Region,
    TryNode,
    catches_exception,
    caught_names,
    exception_type_breadth,
    handler_breadth,
    is_harmless_function,
    is_trivial_call,
    may_fall_through,
    module_constants,
    only_non_exceptions,
    raised_class,
    scan_function,
    try_breadth,
)
from flake8_phase12.analysis.roles import is_runner_module
from flake8_phase12.analysis.runner import (
    FunctionNode,
    called_name,
    execution_functions,
    function_model,
    injected_attribute_default,
    is_call_to,
    runner_calls,
    runner_methods,
    walk_local,
)
from flake8_phase12.analysis.unbound import maybe_unbound_reads
from flake8_phase12.catalog import Rule

CHECKLIST_ITEM = "All exceptions wrapped in Phase 12 error envelope"

RUNNER_WITHOUT_TRY = Rule(
    code="GOV401",
    symbol="runner-without-try",
    section=4,
    title="The runner's execution method has no try/except",
    checklist_item=CHECKLIST_ITEM,
    message="`{runner}` has no `try`/`except` around its plugin lookup, validation and execution, "
            "so their exceptions escape it; wrap them in `try:` and add "
            "`except Exception as exc: return {envelope}(exc, ...)`",
    docs="""
    ## What it does
    Flags the runner's execution method (`ToolRunner.run` by default, see `[tool.phase12.runner]`)
    when it calls anything that can raise but has no `try` statement with an `except` clause at
    all (a `try`/`finally` without handlers does not count). The finding is on the `def` line.

    Clock readings (`time.perf_counter()`, `datetime.now()`, ...), log calls, `uuid.uuid4()`, the
    input and output validators, the metrics update and the envelope function are not counted
    as "can raise": their placement is owned by the rules of sections 2, 3 and 5. Abstract and
    protocol methods (`...`, `pass`, `raise NotImplementedError`) are not checked, and a runner
    module without the configured class and method gets no finding.

    All section 4 rules check the configured execution method and, when it exists, every other
    public function or method of the runner module that executes a plugin itself
    (`ToolRunner.run_batch`), as sections 2, 3 and 5 do; private helpers (`_invoke`) are left
    to the method that calls them.

    ## Why is this bad?
    Every exception a plugin, the registry or a validator raises reaches the service layer and
    the API raw: a 500 with a traceback instead of the structured error envelope, no
    `error.plugin`, no timestamp, and callers that must guess what failed.

    Note that pylint's `broad-exception-caught` (W0718), ruff/flake8-blind-except `BLE001` and
    tryceratops `TRY202` flag the very `except Exception` the checklist requires: exempt the
    runner module from them (`per-file-ignores`) rather than narrowing the handler.

    ## Example
    ```python
    class ToolRunner:
        def run(self, plugin_name, payload):
            plugin = self._registry.get(plugin_name)
            return validate_plugin_output(plugin.run(payload))
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

    ## Known problems
    A method guarded by a decorator that turns exceptions into envelopes, or that delegates
    everything to a helper holding the `try`, is reported: the checklist asks for the `try` in
    the execution method itself. Point `[tool.phase12.runner] method` at the method that holds
    it, or add `# noqa: GOV401` on the `def` line.
    """,
)

RUNNER_HANDLER_TOO_NARROW = Rule(
    code="GOV402",
    symbol="runner-handler-too-narrow",
    section=4,
    title="The runner's try catches only narrower exceptions than Exception",
    checklist_item=CHECKLIST_ITEM,
    message="this `try` in `{runner}` only catches {caught}; any other exception escapes: "
            "catch `Exception` and return `{envelope}(exc, ...)`",
    docs="""
    ## What it does
    Flags a `try` in the runner's execution method whose body calls something that can raise
    but whose handlers all catch narrower classes than `Exception` (`except ValueError`,
    `except (KeyError, TypeError)`). The finding is on the first `except` line.

    A handler tuple that contains `Exception` or `BaseException` (`except (ValueError,
    Exception)`), a bare `except:`, and a `try` nested inside a body that is already guarded by
    such a handler are fine. A handler naming something that cannot be resolved to classes in
    the file (`except RETRYABLE_ERRORS` imported from elsewhere, `except self.errors`) is
    treated as broad: the rule says nothing rather than guess. A `try` that only guards the
    input validator (section 2: a validation error short-circuits with an envelope) is fine.

    ## Why is this bad?
    Plugins fail in ways nobody listed: `AttributeError` on a `None`, `ZeroDivisionError`, a
    library's own exception. Each one not caught escapes the runner raw, which is exactly what
    the structured error envelope exists to prevent.

    ## Example
    ```python
    try:
        plugin = self._registry.get(plugin_name)
        output = validate_plugin_output(plugin.run(payload))
    except (KeyError, ValueError) as exc:
        return build_error_envelope(exc, plugin_name)
    ```

    ## Use instead
    ```python
    try:
        plugin = self._registry.get(plugin_name)
        output = validate_plugin_output(plugin.run(payload))
    except Exception as exc:
        return build_error_envelope(exc, plugin_name)
    ```
    """,
)

RUNNER_HANDLER_RERAISES = Rule(
    code="GOV403",
    symbol="runner-handler-reraises",
    section=4,
    title="An except clause of the runner raises",
    checklist_item=CHECKLIST_ITEM,
    message="`{statement}` in an `except` clause of `{runner}` {problem}; {fix}",
    docs="""
    ## What it does
    Flags every `raise` inside an `except` clause of the runner's execution method: a bare
    `raise`, `raise exc`, `raise RunnerError(...) from exc`, in the broad handler or in a
    narrower one beside it. A sibling handler of the same `try` does not catch it, so it
    escapes. A `raise` in a handler of a `try` nested inside a body guarded by
    `except Exception` is caught there and is fine, and so is a `raise` inside a function
    defined in the method (it is not the method's own raise).

    Passing on what `except Exception` never catches is fine too: a clause that catches only
    `KeyboardInterrupt`, `SystemExit`, `GeneratorExit` or `CancelledError`, and any clause that
    follows `except Exception` in the same `try` (it only sees those).

    Also flags the clause that raises without a `raise`: one that reads a name the `try` may
    not have assigned yet when the exception came (`except Exception: return
    build_error_envelope(exc, plugin.name)` with `plugin` assigned inside the `try`, after the
    input validation that failed). The clause then raises `UnboundLocalError`. Paths are those of
    `flake8_phase12.analysis.unbound`: every statement of the `try` body may raise before it
    completes; only names the method binds with plain assignments are judged.

    ## Why is this bad?
    Wrapping the exception and raising it again still hands the caller a raw exception: the
    service layer and the API receive no envelope, and the checklist's "No raw exceptions
    escape ToolRunner" fails. A clause that reads an unbound name fails the same way, and
    precisely for the failures the envelope exists for (invalid input, unknown plugin).

    ## Example
    ```python
    try:
        output = validate_plugin_output(plugin.run(payload))
    except Exception as exc:
        logger.exception("plugin %s failed", plugin_name)
        raise PluginExecutionError(plugin_name) from exc
    ```

    ## Use instead
    ```python
    try:
        output = validate_plugin_output(plugin.run(payload))
    except Exception as exc:
        logger.exception("plugin %s failed", plugin_name)
        return build_error_envelope(exc, plugin_name)
    ```
    """,
)

RAISE_ESCAPES_RUNNER = Rule(
    code="GOV404",
    symbol="raise-escapes-runner",
    section=4,
    title="A raise or assert of the runner is not caught by its try",
    checklist_item=CHECKLIST_ITEM,
    message="`{statement}` {where} of `{runner}` is not caught by a `try ... except Exception`, "
            "so its exception escapes; return `{envelope}(...)` instead, or move it into the "
            "`try` body",
    docs="""
    ## What it does
    Flags every `raise` and `assert` of the runner's execution method that no
    `except Exception` of the method catches: before or after the `try`, in its `else` or
    `finally` clause, or inside a `try` whose handlers do not catch the raised class (checked
    against the class hierarchy of the builtins and of classes defined in the file; when the
    hierarchy is unknown the rule says nothing). A `raise` inside the body of a `try` that
    catches `Exception` is fine: the handler turns it into an envelope. A `raise` in an
    `except` clause is GOV403's; a `raise` inside a nested function is not the method's own.

    ## Why is this bad?
    An explicit `raise` outside the guarded body is a raw exception leaving the runner on
    purpose: callers receive a traceback instead of the structured error envelope. An `assert`
    is a conditional `raise` of `AssertionError` and is treated the same way.

    ## Example
    ```python
    def run(self, plugin_name, payload):
        if plugin_name not in self._registry:
            raise KeyError(plugin_name)
        try:
            ...
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
    ```

    ## Use instead
    ```python
    def run(self, plugin_name, payload):
        try:
            if plugin_name not in self._registry:
                raise KeyError(plugin_name)
            ...
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
    ```
    """,
)

RUNNER_CALL_OUTSIDE_TRY = Rule(
    code="GOV405",
    symbol="runner-call-outside-try",
    section=4,
    title="The runner calls something that can raise outside its try",
    checklist_item=CHECKLIST_ITEM,
    message="`{call}` {where} of `{runner}` can raise, and no `except Exception` catches it "
            "there; move it into the `try` body that returns `{envelope}(exc, ...)`",
    docs="""
    ## What it does
    Flags calls and `await`s of the runner's execution method that sit outside the body of its
    `try ... except Exception`: before or after the `try`, in an `except`, `else` or `finally`
    clause. Each statement is reported once, at its first such call. The plugin lookup and the
    plugin execution outside the `try` are the typical findings.

    Not reported, because they cannot fail in a way worth guarding or because another rule owns
    their placement:

    - clock readings and ids: `time.perf_counter()`, `time.monotonic()`, `time.time()` (and
      their `_ns` forms), `datetime.now()`, `datetime.utcnow()` (and their `.isoformat()` /
      `.timestamp()` or `.time()`), `uuid.uuid4()`; `asyncio.get_running_loop()` and
      `contextvars.copy_context()`, taken to hand the execution to a thread, and the loop's
      clock, `asyncio.get_running_loop().time()`;
    - log calls on `logger`, `log`, `logging` (`logging` never propagates a handler's error);
    - the builtins `isinstance`, `callable`, `type`, `id`, `str`, `repr`, `bool`, `round`, `abs`,
      `range`, `typing.cast`, `contextlib.suppress`, and the construction of an exception
      object (`ValueError("...")`, any `...Error`/`...Exception` class, and a class of this
      file that derives from an exception, `class InvalidInput(ValueError)`);
    - a same-file helper (module function, or method called through `self.`) that only makes
      such calls, like `_elapsed_ms(started)`;
    - a clock the constructor was given (`self._clock()`, set from a parameter whose default is
      such a function: `clock=time.perf_counter`);
    - the result record built in a `return` from values the method already holds
      (`return Outcome(value=value, failure=None)`: a CamelCase class given only names,
      attributes and constants);
    - calls on what a metrics update hands to its `with` (`async with catalog.track(name) as
      run:` ... `run.succeeded()`): like the update itself, section 5's to place;
    - the input validator (section 2 decides where it sits: before the `try`, short-circuiting
      with an envelope, is legitimate), the output validator (section 3), the metrics update
      (section 5: it belongs in `finally`), and the envelope function itself, or a helper of the
      same file that returns it.

    Calls inside a `try` whose handlers are all narrower than `Exception` are GOV402's; calls
    inside `with contextlib.suppress(Exception):` are guarded by it (best-effort cleanup in
    `finally`); what an `except` clause returns is GOV406's.

    ## Why is this bad?
    Whatever raises outside the guarded body escapes the runner as a raw exception: a lookup of
    an unknown plugin, a plugin crash, a failing helper in `finally`. The checklist requires
    that no raw exception escapes the runner.

    ## Example
    ```python
    def run(self, plugin_name, payload):
        plugin = self._registry.get(plugin_name)
        try:
            return validate_plugin_output(plugin.run(payload))
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
    ```

    ## Use instead
    ```python
    def run(self, plugin_name, payload):
        try:
            plugin = self._registry.get(plugin_name)
            return validate_plugin_output(plugin.run(payload))
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
    ```

    ## Known problems
    Only calls and `await`s count as "can raise". Attribute access, subscripts (`payload["x"]`)
    and arithmetic outside the `try` can raise too but are not reported: flagging every
    `self._registry` or `duration * 1000` would bury the real findings. `async with` and
    `async for` on a plain name are not reported either.
    """,
)

RUNNER_HANDLER_NOT_ENVELOPE = Rule(
    code="GOV406",
    symbol="runner-handler-not-envelope",
    section=4,
    title="An except clause of the runner returns something other than the error envelope",
    checklist_item="build_error_envelope(exc, plugin_name) is used",
    message="`return {value}` in an `except` clause of `{runner}` is not the structured error "
            "envelope; return `{envelope}(exc, ...)`, or a variable assigned from it",
    docs="""
    ## What it does
    Flags every `return` inside an `except` clause of the runner's execution method whose value
    is not built by the envelope function (`build_error_envelope` by default, see
    `[tool.phase12.envelope] function`): `return {"error": str(exc)}`, `return None`, a bare
    `return`, `return str(exc)`, and a branch of the handler that returns such a value while
    another returns the envelope.

    Accepted values: a call to the envelope function (awaited or not, through any module or
    object: `errors.build_error_envelope(...)`); a variable assigned from such a call in the
    same handler (and changed afterwards if you like); a helper of the same file (a method of
    the runner class called through `self.`/`cls.`, or a module-level function) whose every
    `return` is such a value; a tuple holding such a value (`return None, envelope`); a dict
    that unpacks one (`{**envelope, "retry": False}`); and a conditional expression whose both
    branches are such values. A fallback that returns validated plugin output
    (`return validate_plugin_output(plugin.legacy_run(payload))`) is a success, not an error,
    and is fine too.

    ## Why is this bad?
    The API turns the envelope into `HTTPException(status_code=400, detail=error["error"])`. An
    ad-hoc dict lacks `error.type`, `error.plugin`, `error.timestamp` and the internal
    traceback; `None` is indistinguishable from a plugin that returned nothing, so the failure is
    lost.

    ## Example
    ```python
    except Exception as exc:
        return {"error": str(exc)}
    ```

    ## Use instead
    ```python
    except Exception as exc:
        return build_error_envelope(exc, plugin_name)
    ```
    """,
)

RUNNER_HANDLER_SWALLOWS_ERROR = Rule(
    code="GOV407",
    symbol="runner-handler-swallows-error",
    section=4,
    title="The runner's broad except clause swallows the error",
    checklist_item=CHECKLIST_ITEM,
    message="{what} in `{runner}` can end without returning the error envelope, so the error "
            "is swallowed and the caller gets None; {fix}",
    docs="""
    ## What it does
    Flags a broad `except` clause (`except Exception`, `except BaseException`, bare `except:`)
    of a `try` in the runner's execution method whose body holds the plugin lookup, an input
    or output validation or the plugin execution, when some path through the clause reaches
    its end without returning, raising, leaving the loop (`break`/`continue`), or assigning
    the envelope: `pass`, only a log call, or an `if` with one branch that falls through.
    A best-effort `try` around something else (a cache write after the execution) may swallow
    its own errors.

    A handler that assigns the envelope (`result = build_error_envelope(exc, name)`) and lets
    the method return it after the `try` is fine, and so is a handler that only records the
    exception when the method calls the envelope function after the `try` (the retry loop that
    builds the envelope from the last error). Handlers of a `try` nested inside a guarded body
    (best-effort cleanup) and `except*` clauses that assign the envelope are fine as well.

    `with contextlib.suppress(Exception):` around the lookup, a validation or the execution is
    a broad handler that is only `pass`, and is flagged too.

    ## Why is this bad?
    A swallowed error makes the runner return `None` (or whatever follows the `try`): the
    service and the API see neither a result nor an error envelope, and the failure vanishes
    from the response, while the metrics may even count it as a success.

    ## Example
    ```python
    except Exception:
        logger.exception("plugin %s failed", plugin_name)
    ```

    ## Use instead
    ```python
    except Exception as exc:
        logger.exception("plugin %s failed", plugin_name)
        return build_error_envelope(exc, plugin_name)
    ```
    """,
)

RULES = (
    RUNNER_WITHOUT_TRY,
    RUNNER_HANDLER_TOO_NARROW,
    RUNNER_HANDLER_RERAISES,
    RAISE_ESCAPES_RUNNER,
    RUNNER_CALL_OUTSIDE_TRY,
    RUNNER_HANDLER_NOT_ENVELOPE,
    RUNNER_HANDLER_SWALLOWS_ERROR,
)

WHERE = {
    "outside": "outside the `try`",
    "handler": "in an `except` clause",
    "orelse": "in the `else` clause of the `try`",
    "finalbody": "in the `finally` clause",
    "body": "in the `try` body",
}
MAX_SNIPPET = 60


class ExceptionEscapeCheck(Check):
    """GOV401-GOV407: no exception escapes the runner; failures become error envelopes."""
    rules = RULES

    def applies_to(self, ctx: FileContext) -> bool:
        runner = ctx.config.runner
        if not is_runner_module(ctx):
            return False
        names = [name for name in (runner.class_name, runner.function) if name]
        return not ctx.source or any(name in ctx.source for name in names)

    def run(self, ctx: FileContext) -> Iterator[Finding]:
        constants = module_constants(ctx.tree)
        classes = ExceptionClasses(ctx.tree)
        # Only where the configured runner exists; then also its other public ways in that
        # execute a plugin themselves (`ToolRunner.run_batch`), as sections 2, 3 and 5 do.
        if not runner_methods(ctx):
            return
        for function in execution_functions(ctx):
            if not is_declaration(function):
                yield from _MethodAudit(ctx, function, constants, classes).findings()


class _MethodAudit:
    """The section 4 findings of one runner execution method."""

    def __init__(self, ctx: FileContext, function: FunctionNode, constants: dict[str, ast.expr],
                 classes: ExceptionClasses) -> None:
        self.ctx = ctx
        self.function = function
        self.constants = constants
        self.classes = classes

    @cached_property
    def scan(self) -> FunctionScan:
        return scan_function(self.function, self.constants)

    @cached_property
    def owner(self) -> ast.ClassDef | None:
        owner = self.ctx.parents.get(self.function)
        return owner if isinstance(owner, ast.ClassDef) else None

    @cached_property
    def functions(self) -> LocalFunctions:
        """The same-file functions a call can resolve to: module functions, and methods of
        the runner's class called through `self.` or `cls.`."""
        return LocalFunctions(self.ctx.tree, self.owner)

    @cached_property
    def envelopes(self) -> EnvelopeValues:
        return EnvelopeValues(self.ctx.config.envelope.function, self.functions)

    @cached_property
    def values(self) -> dict[str, object]:
        owner = self.owner
        label = f"{owner.name}.{self.function.name}" if owner is not None else self.function.name
        return {"runner": label, "envelope": self.ctx.config.envelope.function}

    @cached_property
    def owned_elsewhere(self) -> frozenset[str]:
        config = self.ctx.config
        names = (config.validation.input_validator, config.validation.output_validator,
                 config.metrics.function, config.envelope.function)
        return frozenset(name for name in names if name)

    @cached_property
    def raising_calls(self) -> list[Located]:
        return [item for item in self.scan.calls if self._can_raise(item.node)]

    def _can_raise(self, node: ast.AST) -> bool:
        if not isinstance(node, ast.Call):
            return True  # `await task`
        return not self._harmless(node) and not self._in_metrics_update(node)

    def _harmless(self, call: ast.Call, depth: int = 0) -> bool:
        """Trivial, owned by another section, the envelope itself, or a same-file helper that
        only makes such calls (`_elapsed_ms(started)`)."""
        if called_name(call) in self.owned_elsewhere or is_trivial_call(call, self.ctx.imported_names):
            return True
        if isinstance(call.func, ast.Name) and self.classes.is_exception(call.func.id):
            return True  # building an exception object of this file: `InvalidInput(errors)`
        if self.envelopes.is_envelope(call, frozenset()) or self._collects(call):
            return True
        if self._injected_clock(call) or self._builds_success_record(call):
            return True
        helper = self.functions.resolve(call)
        return helper is not None and helper is not self.function and depth < 2 \
            and self._harmless_helper(helper, depth)

    def _harmless_helper(self, helper: FunctionNode, depth: int) -> bool:
        if helper not in self._helper_verdicts:
            self._helper_verdicts[helper] = False  # recursion proves nothing
            self._helper_verdicts[helper] = all(
                isinstance(node, ast.Call) and self._harmless(node, depth + 1)
                for node in walk_local(helper)
                if isinstance(node, (ast.Call, ast.Await, ast.Raise, ast.Assert)))
        return self._helper_verdicts[helper]

    @cached_property
    def _helper_verdicts(self) -> dict[ast.AST, bool]:
        return {}

    def _collects(self, call: ast.Call) -> bool:
        """`results.append(...)` on a list this method built itself: it cannot raise (a batch
        runner collects one result or envelope per plugin)."""
        func = call.func
        return isinstance(func, ast.Attribute) and func.attr in COLLECTING_METHODS \
            and isinstance(func.value, ast.Name) and func.value.id in self.local_collections

    @cached_property
    def local_collections(self) -> frozenset[str]:
        """Local names only ever bound to a new list (`results = []`)."""
        built: set[str] = set()
        rebound: set[str] = set()
        for node in walk_local(self.function):
            if isinstance(node, ast.Assign):
                names = [target.id for target in node.targets if isinstance(target, ast.Name)]
                (built if _is_new_list(node.value) else rebound).update(names)
            else:
                for target in _bound_targets(node):
                    rebound.update(name.id for name in ast.walk(target)
                                   if isinstance(name, ast.Name))
        return frozenset(built - rebound)

    @cached_property
    def returned_collections(self) -> frozenset[str]:
        """The local collections the method returns (`return results`)."""
        return frozenset(node.value.id for node in walk_local(self.function)
                         if isinstance(node, ast.Return) and isinstance(node.value, ast.Name)
                         and node.value.id in self.local_collections)

    def _injected_clock(self, call: ast.Call) -> bool:
        """`self._clock()` where the constructor takes the clock as a parameter whose default
        is a clock (`clock=time.perf_counter`): a reading of the injected clock."""
        func = call.func
        if call.args or call.keywords or not isinstance(func, ast.Attribute) \
                or not isinstance(func.value, ast.Name) or func.value.id != "self":
            return False
        default = injected_attribute_default(self.owner, func.attr)
        return default is not None and is_harmless_function(default, self.ctx.imported_names)

    def _builds_success_record(self, call: ast.Call) -> bool:
        """`return Outcome(value=value, failure=None)`: the result record built from values the
        method already holds, in a `return`. A call of a class (CamelCase) given only names,
        attributes and constants."""
        name = last_name(call.func)
        if not name or not name[:1].isupper() or name.isupper():
            return False
        if not isinstance(self.ctx.parents.get(call), ast.Return):
            return False
        arguments = [*call.args, *(keyword.value for keyword in call.keywords)]
        return all(isinstance(node, (ast.Name, ast.Attribute, ast.Constant, ast.Load))
                   for argument in arguments for node in ast.walk(argument))

    def _in_metrics_update(self, call: ast.Call) -> bool:
        """An argument of the metrics update, or a call on what the update hands to its `with`
        (`async with catalog.track(name) as run: ... run.succeeded()`): section 5's to place."""
        return id(call) in self.metrics_arguments

    @cached_property
    def metrics_arguments(self) -> frozenset[int]:
        metrics = self.ctx.config.metrics.function
        found = {id(inner) for node in walk_local(self.function) if is_call_to(node, metrics)
                 for inner in walk_local(node)}
        trackers = {item.optional_vars.id for node in walk_local(self.function)
                    if isinstance(node, (ast.With, ast.AsyncWith)) for item in node.items
                    if is_call_to(item.context_expr, metrics)
                    and isinstance(item.optional_vars, ast.Name)}
        found.update(id(node) for node in walk_local(self.function)
                     if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                     and isinstance(node.func.value, ast.Name) and node.func.value.id in trackers)
        return frozenset(found)

    def findings(self) -> Iterator[Finding]:
        has_handlers = any(item.node.handlers for item in self.scan.tries)
        if not has_handlers:
            if self.raising_calls:
                yield self.ctx.finding(RUNNER_WITHOUT_TRY, self.function, **self.values)
            yield from self._escaping_raises()
            return
        yield from self._too_narrow_tries()
        yield from self._calls_outside_try()
        yield from self._escaping_raises()
        yield from self._unbound_reads()
        yield from self._non_envelope_returns()
        yield from self._swallowing_handlers()

    def _too_narrow_tries(self) -> Iterator[Finding]:
        narrow_with_calls = {id(item.region.outermost_narrow_try) for item in self.raising_calls
                             if not item.region.guarded}
        for item in self.scan.tries:
            region, node = item.region, item.node
            if region.guarded or region.narrow_tries or id(node) not in narrow_with_calls:
                continue
            if try_breadth(node, self.constants) is Breadth.NARROW:
                caught = ", ".join(f"`{name}`" for name in caught_names(node, self.constants))
                yield self.ctx.finding(RUNNER_HANDLER_TOO_NARROW, node.handlers[0],
                                       caught=caught, **self.values)

    def _calls_outside_try(self) -> Iterator[Finding]:
        by_statement: dict[int, list[Located]] = {}
        for item in self.raising_calls:
            region = item.region
            if region.guarded or region.narrow_tries:
                continue
            if isinstance(item.statement, ast.Return) and region.handler is not None:
                continue  # what a handler returns is GOV406's to judge
            by_statement.setdefault(id(item.statement), []).append(item)
        for items in by_statement.values():
            item = _evaluated_first(items)
            yield self.ctx.finding(RUNNER_CALL_OUTSIDE_TRY, item.node, call=_describe(item.node),
                                   where=WHERE[item.region.part], **self.values)

    def _escaping_raises(self) -> Iterator[Finding]:
        for item in self.scan.raises:
            region, node = item.region, item.node
            if region.guarded or self._caught_by_narrow_try(node, region):
                continue
            statement = _snippet(node)
            if isinstance(node, ast.Raise) and region.handler is not None:
                if self._passes_on_non_exceptions(region.handler):
                    continue
                yield self.ctx.finding(RUNNER_HANDLER_RERAISES, node, statement=statement,
                                       problem="lets an exception escape the runner",
                                       fix=f"return `{self.values['envelope']}(exc, ...)` "
                                           "instead of raising",
                                       **self.values)
            else:
                yield self.ctx.finding(RAISE_ESCAPES_RUNNER, node, statement=statement,
                                       where=WHERE[region.part], **self.values)

    def _unbound_reads(self) -> Iterator[Finding]:
        """GOV403 without a `raise`: an `except` clause reading a name the `try` may not have
        bound yet raises `UnboundLocalError`."""
        handlers = [handler for item in self.scan.tries for handler in item.node.handlers]
        if not handlers:
            return
        try:
            flow = ControlFlow.of_function(self.function)
        except FlowTooLarge:
            return  # too large to follow every path: say nothing rather than guess
        model = function_model(self.ctx, self.function)
        keys = [lookup.args[0].id for lookup in model.lookups if isinstance(lookup, ast.Call)
                and lookup.args and isinstance(lookup.args[0], ast.Name)]
        for handler in handlers:
            for read, binding in maybe_unbound_reads(self.function, handler, flow,
                                                     self.ctx.parents, self.ctx.imported_names):
                hint = f" (such as `{keys[0]}`)" if keys and read.id in model.plugins else ""
                yield self.ctx.finding(
                    RUNNER_HANDLER_RERAISES, read, statement=read.id,
                    problem=f"may be unbound: the exception can come before line {binding.lineno} "
                            "assigns it, and the clause then raises UnboundLocalError out of "
                            "the runner",
                    fix=f"build `{self.values['envelope']}(exc, ...)` from a value bound before "
                        f"the `try`{hint}",
                    **self.values)

    def _passes_on_non_exceptions(self, handler: ast.ExceptHandler) -> bool:
        """`except (KeyboardInterrupt, SystemExit): raise`, or any clause after `except
        Exception` of the same `try`: it only ever sees what `except Exception` lets through."""
        if only_non_exceptions(handler):
            return True
        siblings = self.handler_siblings.get(id(handler), [])
        return any(catches_exception(other) for other in siblings[:siblings.index(handler)])

    @cached_property
    def handler_siblings(self) -> dict[int, list[ast.ExceptHandler]]:
        return {id(handler): item.node.handlers for item in self.scan.tries
                for handler in item.node.handlers}

    def _caught_by_narrow_try(self, node: ast.AST, region: Region) -> bool:
        """A raise in the body of narrower `try`s: escapes only if none of them provably
        catches it. Unknown hierarchies count as caught, to say nothing rather than guess."""
        if not region.narrow_tries:
            return False
        raised = raised_class(node) if isinstance(node, ast.Raise) else "AssertionError"
        if raised is None:
            return True
        for narrow in region.narrow_tries:
            caught = self.classes.caught_by(raised, caught_names(narrow, self.constants))
            if caught is None or caught:
                return True
        return False

    def _non_envelope_returns(self) -> Iterator[Finding]:
        seen: set[int] = set()
        for item in self.scan.tries:
            for handler in item.node.handlers:
                local_envelopes = self.envelopes.locals_in(handler)
                for node in walk_local(handler):
                    if not isinstance(node, ast.Return) or id(node) in seen:
                        continue
                    seen.add(id(node))
                    if not self.envelopes.is_envelope(node.value, local_envelopes) \
                            and not self._is_validated_output(node.value):
                        value = _snippet(node.value) if node.value is not None else ""
                        yield self.ctx.finding(RUNNER_HANDLER_NOT_ENVELOPE, node,
                                               value=value or "None", **self.values)

    def _is_validated_output(self, value: ast.expr | None) -> bool:
        """A fallback that still returns validated plugin output (`except NotImplementedError:
        return validate_plugin_output(plugin.legacy_run(p))`) is a success, not an error."""
        validator = self.ctx.config.validation.output_validator
        if isinstance(value, ast.Await):
            value = value.value
        if isinstance(value, ast.Name):
            return value.id in self.validated_names
        return is_call_to(value, validator) if value is not None else False

    @cached_property
    def validated_names(self) -> frozenset[str]:
        validator = self.ctx.config.validation.output_validator
        return frozenset(name for name, value in name_bindings(self.function)
                         if is_call_to(value.value if isinstance(value, ast.Await) else value,
                                       validator))

    def _swallowing_handlers(self) -> Iterator[Finding]:
        for item in self.scan.tries:
            if item.region.guarded or not self._governs(item.node):
                continue
            for handler in item.node.handlers:
                if handler_breadth(handler, self.constants) is not Breadth.BROAD:
                    continue
                if self._swallows(handler, item.node):
                    yield self.ctx.finding(
                        RUNNER_HANDLER_SWALLOWS_ERROR, handler, what="this `except` clause",
                        fix=f"end it with `return {self.values['envelope']}(exc, ...)`",
                        **self.values)
        yield from self._suppressing_contexts()

    def _suppressing_contexts(self) -> Iterator[Finding]:
        """`with suppress(Exception):` around a governed call: a broad handler that is `pass`."""
        for node in walk_local(self.function):
            if not isinstance(node, (ast.With, ast.AsyncWith)) \
                    or not any(id(inner) in self.governance_calls for inner in ast.walk(node)):
                continue
            for call in suppress_calls(node):
                if any(exception_type_breadth(argument, self.constants) is Breadth.BROAD
                       for argument in call.args):
                    yield self.ctx.finding(
                        RUNNER_HANDLER_SWALLOWS_ERROR, call, what=f"`{_snippet(call)}`",
                        fix="remove it, so the broad `except` of the try around the execution "
                            f"returns `{self.values['envelope']}(exc, ...)`",
                        **self.values)

    @cached_property
    def governance_calls(self) -> frozenset[int]:
        calls = runner_calls(self.ctx, self.function)
        return frozenset(id(node) for group in (calls.lookups, calls.executions,
                                                calls.input_validations, calls.output_validations)
                         for node in group)

    def _governs(self, try_node: TryNode) -> bool:
        """Whether the `try` guards a lookup, validation or execution; when the method has none
        we can recognise (names not configured), every `try` might."""
        if not self.governance_calls:
            return True
        return any(id(node) in self.governance_calls
                   for statement in try_node.body
                   for node in (statement, *walk_local(statement)))

    def _swallows(self, handler: ast.ExceptHandler, try_node: TryNode) -> bool:
        local_envelopes = self.envelopes.locals_in(handler)

        def builds_envelope(statement: ast.stmt) -> bool:
            value = getattr(statement, "value", None)
            if isinstance(statement, (ast.Assign, ast.AnnAssign)):
                return self.envelopes.is_envelope(value, local_envelopes)
            # A batch runner: the envelope joins the results the method returns.
            return isinstance(statement, ast.Expr) and isinstance(value, ast.Call) \
                and self._collects(value) \
                and value.func.value.id in self.returned_collections \
                and any(self.envelopes.is_envelope(argument, local_envelopes)
                        for argument in value.args)

        if not may_fall_through(handler.body, builds_envelope):
            return False
        # The retry loop: a handler records the error and the envelope is built from it after
        # the `try`, by plain code (an envelope built in another handler is for another error).
        end = (try_node.end_lineno or try_node.lineno, try_node.end_col_offset or 0)
        return not any((call.lineno, call.col_offset) > end and id(call) not in self.handler_nodes
                       for call in self.envelope_calls)

    @cached_property
    def envelope_calls(self) -> list[ast.Call]:
        return [item.node for item in self.scan.calls if isinstance(item.node, ast.Call)
                and self.envelopes.is_envelope(item.node, frozenset())]

    @cached_property
    def handler_nodes(self) -> frozenset[int]:
        return frozenset(id(node) for item in self.scan.tries
                         for handler in item.node.handlers
                         for node in walk_local(handler))


# List methods that cannot raise whatever they are given.
COLLECTING_METHODS = frozenset({"append", "insert"})


def _bound_targets(node: ast.AST) -> list[ast.AST]:
    """What a statement other than a plain assignment binds: `x += 1`, `for x in`, `as x`."""
    if isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.NamedExpr, ast.For, ast.AsyncFor)):
        return [node.target]
    if isinstance(node, (ast.With, ast.AsyncWith)):
        return [item.optional_vars for item in node.items if item.optional_vars is not None]
    return []


def _is_new_list(value: ast.AST) -> bool:
    if isinstance(value, (ast.List, ast.ListComp)):
        return True
    return isinstance(value, ast.Call) and isinstance(value.func, ast.Name) \
        and value.func.id == "list" and not value.args and not value.keywords


def _evaluated_first(items: list[Located]) -> Located:
    """The call of a statement that runs first: `payload.get(...)` in
    `sorted(payload.get(...))`. Arguments run before the call that receives them."""
    nodes = {id(item.node) for item in items}
    innermost = [item for item in items
                 if not any(id(inner) in nodes for inner in walk_local(item.node))]
    return min(innermost or items, key=lambda item: (item.node.lineno, item.node.col_offset))


def _describe(node: ast.AST) -> str:
    if isinstance(node, ast.Call):
        name = dotted_name(node.func)
        if name:
            return f"{name}(...)"
    return _snippet(node)


def _snippet(node: ast.AST) -> str:
    text = " ".join(ast.unparse(node).split())
    return text if len(text) <= MAX_SNIPPET else text[:MAX_SNIPPET - 3] + "..."


CHECKS = (ExceptionEscapeCheck,)
