"""GOV408: the error envelope lacks a field the Phase 12 spec requires (checklist §4)."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from flake8_phase12.analysis.check import Check
from flake8_phase12.analysis.context import FileContext, Finding
from flake8_phase12.analysis.dict_shape import (
    FunctionShapes,
    Presence,
    Shape,
    field_presence,
    typed_dict_classes,
)
from flake8_phase12.catalog import Rule

FUNCTION_NODES = (ast.FunctionDef, ast.AsyncFunctionDef)

ENVELOPE_MISSING_FIELD = Rule(
    code="GOV408",
    symbol="envelope-missing-field",
    section=4,
    title="The error envelope lacks a required field",
    checklist_item="Error envelope format matches spec",
    message="the error envelope returned by `{function}` has no `{field}` field; add it, "
            "as the Phase 12 envelope spec requires (`envelope.fields`)",
    docs="""
    ## What it does
    In the envelope module (`error_envelope` by default, `[tool.phase12.envelope] module`),
    checks that the envelope function (`build_error_envelope`, `envelope.function`) builds every
    configured field (`envelope.fields`; by default `error.type`, `error.message`,
    `error.details`, `error.plugin`, `error.timestamp` and `_internal.traceback`). Each missing
    field is one finding, on the `return` whose value lacks it.

    The returned dict is understood when it is built in the function itself, or in a
    module-level function of the same file whose result it returns:

    - a dict literal, nested literals included, with `**other` merged in;
    - `dict(type=..., ...)` calls, and calls of this module's `TypedDict` classes;
    - key assignment: `envelope["error"] = {...}`, `envelope["error"]["timestamp"] = ...`,
      `envelope.setdefault("_internal", {})["traceback"] = ...`, `.update(...)`, `|=`;
    - locals: `error = {...}; return {"error": error, ...}`.

    Known limits: when the value cannot be understood statically (a call into another module,
    a dataclass or pydantic instance, a copied template, computed keys, a dict handed to a
    function that may fill it in), the rule says nothing about the fields it cannot see; an
    early `return None` is not an envelope and is not checked.

    ## Why is this bad?
    Clients and the API read `error.type`, `error.message` and `error.plugin` to report what
    failed, and operators read `_internal.traceback` to debug it. A missing field breaks
    `test_error_envelope_structure.py`, and a client that reads it fails with a `KeyError` of
    its own at the worst moment: while handling an error.

    ## Example
    ```python
    def build_error_envelope(exc, plugin_name):
        return {
            "error": {"type": type(exc).__name__, "message": str(exc), "plugin": plugin_name},
        }
    ```

    ## Use instead
    ```python
    def build_error_envelope(exc, plugin_name):
        return {
            "error": {
                "type": type(exc).__name__,
                "message": str(exc),
                "details": getattr(exc, "details", {}),
                "plugin": plugin_name,
                "timestamp": datetime.now(timezone.utc).isoformat(),
            },
            "_internal": {"traceback": traceback.format_exc()},
        }
    ```

    ## Known problems
    When the result cannot be understood statically, the rule says nothing rather than guess:
    the function returns a call to something in another module, a dataclass or pydantic
    instance, a copy of a template, a dict with computed keys, or a dict handed to another
    function that may fill it in. A key set anywhere in the function counts as set on every
    `return`, so a field set on one branch only is not reported.
    """,
)

RULES = (ENVELOPE_MISSING_FIELD,)


class EnvelopeShapeCheck(Check):
    """GOV408: the error envelope function returns a dict with the configured fields."""
    rules = RULES

    def applies_to(self, ctx: FileContext) -> bool:
        envelope = ctx.config.envelope
        if not envelope.function or not envelope.fields or not ctx.module_matches(envelope.module):
            return False
        return not ctx.source or envelope.function in ctx.source

    def run(self, ctx: FileContext) -> Iterator[Finding]:
        envelope = ctx.config.envelope
        module_functions = {node.name: node for node in ctx.tree.body
                            if isinstance(node, FUNCTION_NODES)}
        dict_classes = typed_dict_classes(ctx.tree)
        for function in _envelope_functions(ctx.tree, envelope.function):
            reported: set[tuple[int, str]] = set()
            shapes = FunctionShapes(function, follow=module_functions, dict_classes=dict_classes)
            for returned in shapes.returns():
                # Only a returned dict is an attempt at the envelope: an early `return None`
                # is not, and a value we cannot read says nothing.
                if not isinstance(returned.value, Shape):
                    continue
                for name in envelope.fields:
                    key = (id(returned.node), name)
                    if key not in reported \
                            and field_presence(returned.value, name) is Presence.MISSING:
                        reported.add(key)
                        yield ctx.finding(ENVELOPE_MISSING_FIELD, returned.node.value,
                                          function=envelope.function, field=name)


def _envelope_functions(tree: ast.Module, name: str) -> Iterator[ast.AST]:
    """Module-level functions of that name, and methods of module-level classes."""
    for node in tree.body:
        if isinstance(node, FUNCTION_NODES) and node.name == name:
            yield node
        elif isinstance(node, ast.ClassDef):
            yield from (item for item in node.body
                        if isinstance(item, FUNCTION_NODES) and item.name == name)


CHECKS = (EnvelopeShapeCheck,)
