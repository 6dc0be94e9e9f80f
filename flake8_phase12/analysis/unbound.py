"""Names that may still be unbound where a block of a function reads them.

A name the function assigns inside a `try` body is unbound in the `except` clause when the
exception came before the assignment completed; reading it there raises `UnboundLocalError`
from the clause. `maybe_unbound_reads` answers that on the function's control-flow graph
(`flake8_phase12.analysis.flow`, where every statement of a `try` body may raise before it
completes), for names bound only by plain assignments; parameters, globals, loop and `with`
targets, imports and `del` are left alone. A first statement of a `try` that binds the name with
something that cannot raise (a clock reading, a constant) counts as bound.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from functools import lru_cache

from flake8_phase12.analysis.flow import TRY_NODES, ControlFlow, FunctionNode
from flake8_phase12.analysis.local import walk_local
from flake8_phase12.analysis.raising import is_trivial_call


def maybe_unbound_reads(function: FunctionNode, block: ast.AST, flow: ControlFlow,
                        parents: Mapping[ast.AST, ast.AST], imports: Mapping[str, str]
                        ) -> Iterator[tuple[ast.Name, ast.AST]]:
    """(read, first binding) for each name `block` reads, once per name, that some path reaches
    before any of its bindings completed."""
    bindings = _plain_bindings(function)
    if not bindings:
        return
    reported: set[str] = set()
    excepted = block.name if isinstance(block, ast.ExceptHandler) else None
    reads = sorted((node for node in walk_local(block) if isinstance(node, ast.Name)
                    and isinstance(node.ctx, ast.Load)), key=lambda node: (node.lineno, node.col_offset))
    for node in reads:
        sites = bindings.get(node.id)
        if not sites or node.id in reported or node.id == excepted:
            continue
        if _bound_first_thing(sites, parents, imports) or flow.always_preceded(node, sites):
            continue
        reported.add(node.id)
        yield node, min(sites, key=lambda site: (site.lineno, site.col_offset))


# Statements and nodes that bind names: the rest of a function's nodes are skipped at once.
BINDING_NODES = (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.NamedExpr, ast.For, ast.AsyncFor,
                 ast.comprehension, ast.With, ast.AsyncWith, ast.Delete, ast.Global, ast.Nonlocal,
                 ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef,
                 ast.ExceptHandler, ast.MatchAs, ast.MatchStar)


@lru_cache(maxsize=64)
def _plain_bindings(function: FunctionNode) -> dict[str, list[ast.stmt]]:
    """Local names bound only by plain assignments (`x = ...`, `x: T = ...`, `x += ...`,
    `(x := ...)`), with the statements that bind them; parameters and names bound any other
    way (loops, `with`, imports, `global`) are left out."""
    plain: dict[str, list[ast.AST]] = {}
    other: set[str] = set()
    arguments = function.args
    other.update(arg.arg for arg in (*arguments.posonlyargs, *arguments.args,
                                     *arguments.kwonlyargs))
    other.update(arg.arg for arg in (arguments.vararg, arguments.kwarg) if arg is not None)
    for node in walk_local(function):
        if not isinstance(node, BINDING_NODES):
            continue
        for name in _plain_targets(node):
            plain.setdefault(name, []).append(node)
        other.update(_other_targets(node))
    return {name: sites for name, sites in plain.items() if name not in other}


def _plain_targets(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Assign):
        return [target.id for target in node.targets if isinstance(target, ast.Name)]
    if isinstance(node, (ast.AnnAssign, ast.AugAssign)) and isinstance(node.target, ast.Name) \
            and (node.value is not None or isinstance(node, ast.AugAssign)):
        return [node.target.id]
    if isinstance(node, ast.NamedExpr):
        return [node.target.id]
    return []


def _other_targets(node: ast.AST) -> set[str]:
    """Names `node` binds other than by a plain assignment."""
    targets: list[ast.AST] = []
    if isinstance(node, ast.Assign):
        targets = [target for target in node.targets if not isinstance(target, ast.Name)]
    elif isinstance(node, ast.AnnAssign) and not isinstance(node.target, ast.Name):
        targets = [node.target]
    elif isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
        targets = [node.target]
    elif isinstance(node, (ast.With, ast.AsyncWith)):
        targets = [item.optional_vars for item in node.items if item.optional_vars is not None]
    elif isinstance(node, ast.Delete):
        targets = list(node.targets)
    elif isinstance(node, (ast.Global, ast.Nonlocal)):
        return set(node.names)
    elif isinstance(node, (ast.Import, ast.ImportFrom)):
        return {(alias.asname or alias.name).split(".")[0] for alias in node.names}
    elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    elif isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)) and node.name:
        return {node.name}
    return {name for target in targets for name in _names(target)}


def _names(target: ast.AST) -> set[str]:
    return {node.id for node in ast.walk(target) if isinstance(node, ast.Name)}


def _bound_first_thing(sites: list[ast.AST], parents: Mapping[ast.AST, ast.AST],
                       imports: Mapping[str, str]) -> bool:
    """`try: started = time.monotonic()`: the first statement of the `try` binds the name with
    something that cannot raise, so nothing can come before it."""
    for site in sites:
        parent = parents.get(site)
        if isinstance(parent, TRY_NODES) and parent.body and parent.body[0] is site \
                and isinstance(site, (ast.Assign, ast.AnnAssign)) and site.value is not None \
                and all(is_trivial_call(node, imports)
                        for node in ast.walk(site.value) if isinstance(node, ast.Call)):
            return True
    return False
