"""The analysis behind GOV401-GOV407: one runner execution method read for the exceptions
that can escape it (what is outside the `try`, what the handlers catch, re-raise, swallow or
return), reported with the records of `rules/_escape_rules.py`."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cached_property

from flake8_phase12.analysis.context import FileContext, Finding
from flake8_phase12.analysis.envelopes import EnvelopeValues, name_bindings
from flake8_phase12.analysis.flow import ControlFlow, FlowTooLarge, LocalFunctions, suppress_calls
from flake8_phase12.analysis.local import walk_local
from flake8_phase12.analysis.names import dotted_name, last_name
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
    only_non_exceptions,
    raised_class,
    scan_function,
    try_breadth,
)
from flake8_phase12.analysis.runner import (
    FunctionNode,
    called_name,
    function_model,
    injected_attribute_default,
    is_call_to,
    runner_calls,
)
from flake8_phase12.analysis.unbound import maybe_unbound_reads
from flake8_phase12.rules._escape_rules import (
    RAISE_ESCAPES_RUNNER,
    RUNNER_CALL_OUTSIDE_TRY,
    RUNNER_HANDLER_NOT_ENVELOPE,
    RUNNER_HANDLER_RERAISES,
    RUNNER_HANDLER_SWALLOWS_ERROR,
    RUNNER_HANDLER_TOO_NARROW,
    RUNNER_WITHOUT_TRY,
)

WHERE = {
    "outside": "outside the `try`",
    "handler": "in an `except` clause",
    "orelse": "in the `else` clause of the `try`",
    "finalbody": "in the `finally` clause",
    "body": "in the `try` body",
}
MAX_SNIPPET = 60


class MethodAudit:
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
