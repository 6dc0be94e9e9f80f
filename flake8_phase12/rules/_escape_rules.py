"""The records of GOV401-GOV407 (checklist §4), with their documentation: what
`rules/exception_escape.py` reports, as `rules/_escape_audit.py` finds it."""

from __future__ import annotations

from flake8_phase12.catalog import Rule


RUNNER_WITHOUT_TRY = Rule(
    code="GOV401",
    symbol="runner-without-try",
    section=4,
    title="The runner's execution method has no try/except",
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
