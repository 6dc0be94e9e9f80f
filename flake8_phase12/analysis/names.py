"""Rendering expressions as the short patterns users write in the configuration.

`self._plugins[name]` renders as `self._plugins[]`, `registry.get(name)` as `registry.get()`,
`await x` as `x`, so a configured receiver pattern such as `self._plugins[]` or
`*registry.get()` can be matched with `fnmatch` wildcards.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

from flake8_phase12.analysis.globs import glob_match


def render(node: ast.AST) -> str | None:
    """The pattern form of an expression, or None when it has no meaningful name."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = render(node.value)
        return f"{base}.{node.attr}" if base is not None else None
    if isinstance(node, ast.Subscript):
        base = render(node.value)
        return f"{base}[]" if base is not None else None
    if isinstance(node, ast.Call):
        base = render(node.func)
        return f"{base}()" if base is not None else None
    if isinstance(node, ast.Await):
        return render(node.value)
    return None


def dotted_name(node: ast.AST) -> str | None:
    """`a.b.c` for a plain Name/Attribute chain, else None."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted_name(node.value)
        return f"{base}.{node.attr}" if base is not None else None
    return None


def matches_any(text: str | None, patterns: Iterable[str]) -> bool:
    """Whether `text` matches one of `patterns` (`analysis/globs.py`: fnmatch semantics)."""
    return text is not None and any(glob_match(pattern, text) for pattern in patterns)


def last_name(node: ast.AST) -> str | None:
    """The final identifier of a Name/Attribute (`mod.Cls` -> `Cls`), or a string annotation's."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value.rsplit(".", 1)[-1].strip() or None
    return None


def annotation_names(annotation: ast.AST | None) -> set[str]:
    """Every class name mentioned in an annotation (`Optional[mod.Base]` -> {Optional, Base})."""
    if annotation is None:
        return set()
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        try:
            annotation = ast.parse(annotation.value, mode="eval").body
        except SyntaxError:
            return set()
    names = set()
    for node in ast.walk(annotation):
        name = last_name(node) if isinstance(node, (ast.Name, ast.Attribute)) else None
        if name:
            names.add(name)
    return names


def string_constant(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


# Decorators that make a function a declaration rather than an implementation.
DECLARING_DECORATORS = frozenset({"abstractmethod", "abstractproperty", "overload"})


def is_protocol_class(node: ast.ClassDef) -> bool:
    """A `typing.Protocol` class (`class Runner(Protocol)`, `Protocol[T]`): an interface."""
    return any(last_name(base.value if isinstance(base, ast.Subscript) else base) == "Protocol"
               for base in node.bases)


def is_declaration(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """An abstract or `@overload` function, or one whose body only declares: a docstring,
    `...`, `pass`, `raise NotImplementedError`."""
    if any(last_name(decorator.func if isinstance(decorator, ast.Call) else decorator)
           in DECLARING_DECORATORS for decorator in function.decorator_list):
        return True
    body = function.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        body = body[1:]  # the docstring
    return all(_declares(statement) for statement in body)


def _declares(statement: ast.stmt) -> bool:
    if isinstance(statement, ast.Pass):
        return True
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
        return statement.value.value is Ellipsis
    if isinstance(statement, ast.Raise) and statement.exc is not None:
        raised = statement.exc.func if isinstance(statement.exc, ast.Call) else statement.exc
        return last_name(raised) == "NotImplementedError"
    return False
