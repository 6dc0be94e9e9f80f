"""What the module that declares the envelope builder or the envelope model says of it, for the
runner's file when the file alone does not (`from app.failures import Failure`):
the builder's definition (`Failure.from_exception`, `failure_envelope`), read in its own module,
and the pydantic models of an envelope model declared there. A name the project model cannot
resolve to a definition of the project, or a module that cannot be read, stays unknown (None)."""

from __future__ import annotations

import ast
import os
from pathlib import Path

from flake8_phase12.analysis.context import FileContext
from flake8_phase12.analysis.dict_shape import ModelInfo, model_classes
from flake8_phase12.analysis.flow import FunctionNode
from flake8_phase12.model.context import facts, model
from flake8_phase12.model.project import Ref, parse_module_file
from flake8_phase12.model.roots import module_file

DEFINITIONS = (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
MAX_TREES = 16
_TREES: dict[tuple[str, int, int], ast.Module | None] = {}


def builder_definition(ctx: FileContext, written: str) -> FunctionNode | None:
    """The definition of the function or method called as `written` in this file
    (`Failure.from_exception`), read in the module that declares it."""
    declared = _declaration(ctx, written)
    if declared is None or declared[0].kind != "function":
        return None
    found = _definition(declared[1], declared[0].qualname)
    return found if isinstance(found, (ast.FunctionDef, ast.AsyncFunctionDef)) else None


def declared_models(ctx: FileContext, written: str) -> tuple[dict[str, ModelInfo], str] | None:
    """The pydantic models of the module that declares the class named `written` in this file,
    and the class's name there, when it is one of them."""
    declared = _declaration(ctx, written)
    if declared is None or declared[0].kind != "class" or "." in declared[0].qualname:
        return None
    models = model_classes(declared[1])
    return (models, declared[0].qualname) if declared[0].qualname in models else None


def _declaration(ctx: FileContext, written: str) -> tuple[Ref, ast.Module] | None:
    key = ("envelope_declaration", written)
    if key not in ctx.memo:
        ctx.memo[key] = _read_declaration(ctx, written)
    return ctx.memo[key]


def _read_declaration(ctx: FileContext, written: str) -> tuple[Ref, ast.Module] | None:
    head, _, rest = written.partition(".")
    origin = ctx.imported_names.get(head)
    if origin is None:
        return None  # not imported: defined here (read by the rule itself) or unknown
    try:
        project = model(ctx)
        # An absolute import is followed without reading this file's facts; a relative one
        # needs the file's own module name, which its facts carry.
        ref = project.resolve(facts(ctx), written) if origin.startswith(".") \
            else project.resolve_dotted(f"{origin}.{rest}" if rest else origin)
    except RecursionError:  # machine-made nesting: unknown
        return None
    if ref is None or ref.kind not in ("class", "function"):
        return None
    path = module_file(ref.module, project.roots)
    tree = _tree(path) if path is not None else None
    return (ref, tree) if tree is not None else None


def _tree(path: Path) -> ast.Module | None:
    """The parsed module, kept while the file is unchanged: every runner file of a run, and each
    check of one in an editor, reads the same envelope module."""
    try:
        status = path.stat()
    except OSError:
        return None
    key = (os.path.abspath(path), status.st_mtime_ns, status.st_size)
    if key not in _TREES:
        if len(_TREES) >= MAX_TREES:
            _TREES.pop(next(iter(_TREES)))
        _TREES[key] = parse_module_file(path)
    return _TREES[key]


def _definition(tree: ast.Module, qualname: str) -> ast.AST | None:
    body: list[ast.stmt] = tree.body
    found: ast.AST | None = None
    for part in qualname.split("."):
        found = next((node for node in body if isinstance(node, DEFINITIONS) and node.name == part),
                     None)
        if found is None:
            return None
        body = found.body  # type: ignore[attr-defined]
    return found
