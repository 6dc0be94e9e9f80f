"""The nodes of one function's own body: what most analyses walk, nested scopes left out.

A module of its own, importing nothing of the package, so that the analyses that only need this
walk (the dict shapes the project model's facts read) do not load the runner's analysis with it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import lru_cache


def walk_local(root: ast.AST) -> Iterator[ast.AST]:
    """`ast.walk` that stays in one function: nested defs, lambdas and classes are not entered."""
    return iter(local_nodes(root))


# Keyed by the node itself (AST nodes hash by identity); the rules of sections 2-5 walk the
# runner method about twenty times per file, and the tree is never changed.
@lru_cache(maxsize=256)
def local_nodes(root: ast.AST) -> tuple[ast.AST, ...]:
    """The nodes `walk_local` yields, in the same order, computed once per node."""
    found = []
    stack = list(ast.iter_child_nodes(root))
    while stack:
        node = stack.pop()
        found.append(node)
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            stack.extend(ast.iter_child_nodes(node))
    return tuple(found)
