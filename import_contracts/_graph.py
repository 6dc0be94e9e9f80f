"""Small grimp helpers shared by both contracts."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterable, Sequence

import grimp
from grimp.exceptions import ModuleNotPresent

from ._importlinter_compat import ModuleExpression


def module_exists(graph: grimp.ImportGraph, module: str) -> bool:
    """Membership test that does not materialise ``graph.modules`` (a set of every module,
    rebuilt after each mutation and costing about a millisecond per thousand modules)."""
    try:
        graph.is_module_squashed(module)
    except ModuleNotPresent:
        return False
    return True


def is_same_or_descendant(module: str, ancestor: str) -> bool:
    return module == ancestor or module.startswith(ancestor + ".")


def with_descendants(graph: grimp.ImportGraph, modules: Iterable[str]) -> set[str]:
    """The modules plus all their descendants (a squashed module has none in the graph)."""
    expanded: set[str] = set()
    for module in modules:
        expanded.add(module)
        if module_exists(graph, module) and not graph.is_module_squashed(module):
            expanded |= graph.find_descendants(module)
    return expanded


def resolve_expression(graph: grimp.ImportGraph, expression: ModuleExpression) -> set[str]:
    """Modules matching a module expression; a plain name matches only if it is in the graph."""
    text = expression.expression
    if expression.has_wildcard_expression():
        return set(graph.find_matching_modules(text))
    return {text} if module_exists(graph, text) else set()


def resolve_expressions_or_explain(
    graph: grimp.ImportGraph, expressions: Iterable[ModuleExpression], root_packages: Iterable[str]
) -> tuple[set[str], str | None]:
    """All modules matched by the expressions, and a problem description if any plain name is
    missing from the graph or any wildcard matches nothing (both are usually typos)."""
    modules: set[str] = set()
    missing: list[str] = []
    unmatched: list[str] = []
    for expression in expressions:
        matches = resolve_expression(graph, expression)
        if not matches:
            (unmatched if expression.has_wildcard_expression() else missing).append(str(expression))
        modules |= matches
    problems = []
    if missing:
        problems.append(missing_modules_message(sorted(missing), root_packages))
    if unmatched:
        problems.append(f"No module matches {', '.join(repr(e) for e in sorted(unmatched))}.")
    return modules, " ".join(problems) or None


def missing_modules_message(modules: Sequence[str], root_packages: Iterable[str]) -> str:
    """Explain modules that are not in the graph, with a hint for the usual causes."""
    roots = sorted(root_packages)
    names = ", ".join(repr(module) for module in modules)
    noun = "Module" if len(modules) == 1 else "Modules"
    message = f"{noun} {names} not found in the import graph."
    outside = [module for module in modules if roots and module.split(".")[0] not in roots]
    if outside:
        return message + f" Only modules inside the root packages ({', '.join(roots)}) are in the graph."
    for module in modules:
        orphan_directory = _unscanned_directory(module)
        if orphan_directory:
            # grimp skips directories without __init__.py below a regular package ("orphans").
            return message + (
                f" {module} exists on disk, but {orphan_directory} has no __init__.py, and grimp "
                "does not scan such directories inside a regular package. Add the __init__.py, "
                "or remove every __init__.py up to the root to make it a namespace package."
            )
    return message


def _unscanned_directory(module: str) -> str | None:
    """The first directory on the way to ``module``'s file that lacks an ``__init__.py`` below a
    regular package, found without importing anything (only the root package spec is read)."""
    root, *rest = module.split(".")
    try:
        spec = importlib.util.find_spec(root)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for base in spec.submodule_search_locations:
        path = os.path.join(base, *rest)
        if not (os.path.isdir(path) or os.path.isfile(path + ".py")):
            continue
        inside_regular_package = os.path.isfile(os.path.join(base, "__init__.py"))
        directory = base
        for part in rest[:-1]:
            directory = os.path.join(directory, part)
            has_init = os.path.isfile(os.path.join(directory, "__init__.py"))
            if inside_regular_package and not has_init:
                return directory
            inside_regular_package = inside_regular_package or has_init
        if (
            os.path.isdir(path)
            and inside_regular_package
            and not os.path.isfile(os.path.join(path, "__init__.py"))
        ):
            return path
    return None
