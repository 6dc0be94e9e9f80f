"""GOV409: the services above the runner pass its error envelope on as it is (checklist §4).

The runner turns every failure into the structured envelope; the services between it and the
API (plugin management, job management, analysis) must hand that envelope up unchanged. The
rule looks at the configured service modules, and only when the envelope builder is configured:
an error payload assembled by hand from a caught exception
(`{"error": {"type": type(exc).__name__, "message": str(exc)}}`, the Phase 11 shape), and a
branch taken when the layer below answered with an envelope that raises an exception instead
(`raise RuntimeError(failure["error"]["message"])`) or returns a success made up of literals
(`return {"text": ""}, None`), so the envelope never reaches the API.

What holds an envelope is read from the code: a value read with the envelope's top-level key
(`failure["error"]`, `outcome.failure["error"]`). A branch is an error branch when its test
says that value is there (`if failure is not None`, `if failure`, `if "error" in result`, or an
`and` of such tests); its `else` when the test says it is not.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from flake8_phase12.analysis.context import FileContext, Finding
from flake8_phase12.analysis.local import walk_local
from flake8_phase12.analysis.names import last_name
from flake8_phase12.catalog import Rule
from flake8_phase12.rules import Check

FUNCTION_NODES = (ast.FunctionDef, ast.AsyncFunctionDef)

SERVICE_REPLACES_ENVELOPE = Rule(
    code="GOV409",
    symbol="service-replaces-envelope",
    section=4,
    title="A service replaces the runner's error envelope",
    message="`{snippet}` {problem}; {fix}",
    docs="""
    ## What it does
    In the service modules (`services.*.module`), flags what replaces the runner's error
    envelope on its way up to the API:

    - an error payload assembled by hand from a caught exception, in the `except` clause that
      caught it (`{"error": {"type": type(exc).__name__, "message": str(exc)}}`, the Phase 11
      shape), while the envelope builder (`envelope.function`) exists;
    - in a branch taken when the layer below answered with an envelope, a `raise`
      (`raise RuntimeError(failure["error"]["message"])`): the structured error becomes a bare
      exception again;
    - in such a branch, a `return` of a value made up of literals (`return {"text": ""}, None`,
      `return Outcome(value={}, failure=None)`): the failure becomes an empty success.

    A value is an envelope when the code reads it with the envelope's top-level key
    (`failure["error"]`, `"error" in result`); the branch is the one its test says the envelope
    is there (`if failure is not None:`, `if failure:`, `if "error" in result:`, or an `and` of
    such tests; the `else` of the opposite tests). Returning the envelope, a value built with
    it, or the result of another call to the layer below (a retry) is fine.

    ## Why is this bad?
    The checklist's chain hands the runner's envelope up to the API, which answers
    `HTTPException(status_code=400, detail=error["error"])`. A hand-built payload lacks
    `error.details`, `error.plugin`, `error.timestamp` and `_internal.traceback`; a service that
    raises instead sends a raw exception up the chain (a 500 without the envelope); one that
    returns an empty success hides the failure from the client.

    ## Example
    ```python
    result, failure = self._runner.run(plugin_name, payload)
    if failure is not None:
        raise RuntimeError(failure["error"]["message"])
    return result, failure
    ```

    ## Use instead
    ```python
    return self._runner.run(plugin_name, payload)
    ```
    """,
)

RULES = (SERVICE_REPLACES_ENVELOPE,)


class ServiceErrorsCheck(Check):
    """GOV409: the services pass the runner's envelope on as it is."""
    rules = RULES

    def within_role(self, ctx: FileContext) -> bool:
        return bool(ctx.config.envelope.function)

    def run(self, ctx: FileContext) -> Iterator[Finding]:
        key = _top_key(ctx)
        envelope = ctx.config.envelope.function
        for function in (node for node in ctx.nodes if isinstance(node, FUNCTION_NODES)):
            yield from _hand_built(ctx, function, key, envelope)
            yield from _discarded(ctx, function, key)


def _top_key(ctx: FileContext) -> str:
    """The envelope's top-level key that holds the error (`error` of `error.type`)."""
    heads = [name.split(".", 1)[0] for name in ctx.config.envelope.fields if "." in name]
    return heads[0] if heads else "error"


# --- hand-built payloads -------------------------------------------------------------------

def _hand_built(ctx: FileContext, function: ast.AST, key: str,
                envelope: str) -> Iterator[Finding]:
    for handler in (node for node in walk_local(function) if isinstance(node, ast.ExceptHandler)):
        if not handler.name:
            continue
        for node in walk_local(handler):
            if not isinstance(node, ast.Dict):
                continue
            value = next((value for item, value in zip(node.keys, node.values)
                          if isinstance(item, ast.Constant) and item.value == key), None)
            if value is not None and any(isinstance(inner, ast.Name) and inner.id == handler.name
                                         for inner in ast.walk(value)):
                yield ctx.finding(SERVICE_REPLACES_ENVELOPE, node, snippet=_snippet(node),
                                  problem="builds an error payload by hand from "
                                          f"`{handler.name}`, without the envelope's other "
                                          "fields",
                                  fix="let the runner turn the exception into the envelope and "
                                      f"pass it on, or build it with {envelope}(...)")


# --- envelopes turned into something else --------------------------------------------------

def _discarded(ctx: FileContext, function: ast.AST, key: str) -> Iterator[Finding]:
    carriers = _envelope_holders(function, key)
    if not carriers:
        return
    reported: set[int] = set()
    for statement in walk_local(function):
        if not isinstance(statement, ast.If):
            continue
        polarity = _error_test(statement.test, carriers, key)
        if polarity is None:
            continue
        held = polarity[1]
        branch = statement.body if polarity[0] else statement.orelse
        for node in (inner for part in branch for inner in (part, *walk_local(part))):
            if id(node) in reported:
                continue
            problem = _what_it_does(node, held)
            if problem is not None:
                reported.add(id(node))
                yield ctx.finding(SERVICE_REPLACES_ENVELOPE, node, snippet=_snippet(node),
                                  problem=f"{problem} when the layer below answered with the "
                                          f"error envelope (`{held}`)",
                                  fix="return the envelope as it is")


def _envelope_holders(function: ast.AST, key: str) -> set[str]:
    """The expressions (as text) read with the envelope's key: `failure` in `failure["error"]`."""
    found: set[str] = set()
    for node in walk_local(function):
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) \
                and node.slice.value == key and _holder(node.value) is not None:
            found.add(_holder(node.value))
        elif isinstance(node, ast.Compare) and len(node.ops) == 1 \
                and isinstance(node.ops[0], ast.In) and isinstance(node.left, ast.Constant) \
                and node.left.value == key and _holder(node.comparators[0]) is not None:
            found.add(_holder(node.comparators[0]))
    return found


def _holder(node: ast.AST) -> str | None:
    """`failure`, `outcome.failure`: a name or an attribute chain."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _holder(node.value)
        return f"{base}.{node.attr}" if base is not None else None
    return None


def _error_test(test: ast.AST, carriers: set[str], key: str) -> tuple[bool, str] | None:
    """(True, holder) when the test says the envelope is there, (False, holder) when it says it
    is not; None for any other test."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        for value in test.values:
            found = _error_test(value, carriers, key)
            if found is not None and found[0]:
                return found
        return None
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        found = _error_test(test.operand, carriers, key)
        return (not found[0], found[1]) if found is not None else None
    holder = _holder(test)
    if holder in carriers:
        return True, holder
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        left, right, operator = test.left, test.comparators[0], test.ops[0]
        if isinstance(right, ast.Constant) and right.value is None and _holder(left) in carriers:
            if isinstance(operator, (ast.IsNot, ast.NotEq)):
                return True, _holder(left)
            if isinstance(operator, (ast.Is, ast.Eq)):
                return False, _holder(left)
        if isinstance(left, ast.Constant) and left.value == key and _holder(right) in carriers:
            if isinstance(operator, ast.In):
                return True, _holder(right)
            if isinstance(operator, ast.NotIn):
                return False, _holder(right)
    return None


def _what_it_does(node: ast.AST, holder: str) -> str | None:
    if isinstance(node, ast.Raise) and node.exc is not None:
        return "raises an exception instead"
    if isinstance(node, ast.Return) and node.value is not None and _made_up(node.value) \
            and not _mentions(node.value, holder):
        return "returns a made-up success instead"
    return None


def _made_up(value: ast.AST) -> bool:
    """A value written out in the code: literals, `None`, and records built only from them."""
    if isinstance(value, ast.Constant):
        return True
    if isinstance(value, (ast.Tuple, ast.List, ast.Set)):
        return all(_made_up(item) for item in value.elts)
    if isinstance(value, ast.Dict):
        return all(key is not None for key in value.keys) \
            and all(_made_up(item) for item in value.values)
    if isinstance(value, ast.Call):
        name = last_name(value.func)
        if not name or not (name in ("dict", "list", "tuple", "set")
                            or (name[:1].isupper() and not name.isupper())):
            return False  # a function's result is not made up
        return all(_made_up(argument) for argument in value.args) \
            and all(keyword.arg is not None and _made_up(keyword.value)
                    for keyword in value.keywords)
    return False


def _mentions(value: ast.AST, holder: str) -> bool:
    return any(_holder(node) == holder for node in ast.walk(value)
               if isinstance(node, (ast.Name, ast.Attribute)))


def _snippet(node: ast.AST) -> str:
    text = " ".join(ast.unparse(node).split())
    return text if len(text) <= 60 else text[:57] + "..."


CHECKS = (ServiceErrorsCheck,)
