"""What the module that declares the envelope builder or the envelope model says of it, for the
runner's file when the file alone does not (`from app.failures import Failure`):
the builder's definition (`Failure.from_exception`, `failure_envelope`), read in its own module,
and the pydantic models of an envelope model declared there. A name the project model cannot
resolve to a definition of the project, or a module that cannot be read, stays unknown (None).

An absolute import of a definition (`from app.errors import build_error_envelope`) is read
straight from the module it names, under the project's source roots: the runner's file is where
most rules run in an editor, and this needs neither the model's facts nor its import. The model
resolves the rest: relative imports, re-exports, aliases."""

from __future__ import annotations

import ast
import os
from functools import lru_cache
from pathlib import Path

from flake8_phase12.analysis.context import FileContext
from flake8_phase12.analysis.dict_shape import ModelInfo, model_classes
from flake8_phase12.analysis.flow import FunctionNode
from flake8_phase12.model.roots import source_roots
from flake8_phase12.model.trees import module_tree
from flake8_phase12.records import Record

DEFINITIONS = (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)


class Declaration(Record):
    """A class or function of the project (`kind`, `qualname` in its module) and its module's tree."""

    kind: str
    qualname: str
    tree: ast.Module


def builder_definition(ctx: FileContext, written: str) -> FunctionNode | None:
    """The definition of the function or method called as `written` in this file
    (`Failure.from_exception`), read in the module that declares it."""
    declared = _declaration(ctx, written)
    if declared is None or declared.kind != "function":
        return None
    found = _definition(declared.tree, declared.qualname)
    return found if isinstance(found, (ast.FunctionDef, ast.AsyncFunctionDef)) else None


def declared_models(ctx: FileContext, written: str) -> tuple[dict[str, ModelInfo], str] | None:
    """The pydantic models of the module that declares the class named `written` in this file,
    and the class's name there, when it is one of them."""
    declared = _declaration(ctx, written)
    if declared is None or declared.kind != "class" or "." in declared.qualname:
        return None
    models = model_classes(declared.tree)
    return (models, declared.qualname) if declared.qualname in models else None


def _declaration(ctx: FileContext, written: str) -> Declaration | None:
    key = ("envelope_declaration", written)
    if key not in ctx.memo:
        ctx.memo[key] = _read_declaration(ctx, written)
    return ctx.memo[key]


def _read_declaration(ctx: FileContext, written: str) -> Declaration | None:
    head, _, rest = written.partition(".")
    origin = ctx.imported_names.get(head)
    if origin is None:
        return None  # not imported: defined here (read by the rule itself) or unknown
    try:
        if origin.startswith("."):
            return _declared_through_the_model(ctx, written, None)
        dotted = f"{origin}.{rest}" if rest else origin
        return _declared_directly(ctx, dotted) or _declared_through_the_model(ctx, written, dotted)
    except RecursionError:  # machine-made nesting: unknown
        return None


def _declared_directly(ctx: FileContext, dotted: str) -> Declaration | None:
    """`pkg.module.name` (`.method`) read where it says: the longest prefix that is a module of
    the project, when that module itself defines the rest; None otherwise (a re-export, an
    alias: the model's question)."""
    parts = dotted.split(".")
    roots = _roots(os.path.abspath(ctx.config.project_root))
    for end in range(len(parts) - 1, 0, -1):
        found = module_tree(".".join(parts[:end]), roots)
        if found is None:
            continue
        qualname = ".".join(parts[end:])
        definition = _definition(found[1], qualname)
        if definition is None:
            return None
        kind = "class" if isinstance(definition, ast.ClassDef) else "function"
        return Declaration(kind, qualname, found[1])
    return None


@lru_cache(maxsize=16)
def _roots(project_root: str) -> list[Path]:
    return source_roots(Path(project_root))


def _declared_through_the_model(ctx: FileContext, written: str, dotted: str | None) -> Declaration | None:
    """`written` resolved by the project model: from its absolute `dotted` name without reading
    this file's facts, or (a relative import, `dotted` None) from the file's own module name,
    which its facts carry."""
    # Imported here: only a relative import or a re-export needs the project model.
    from flake8_phase12.model.context import facts, model

    project = model(ctx)
    ref = project.resolve(facts(ctx), written) if dotted is None else project.resolve_dotted(dotted)
    if ref is None or ref.kind not in ("class", "function"):
        return None
    found = module_tree(ref.module, project.roots)  # kept while unchanged: every runner file reads it
    return Declaration(ref.kind, ref.qualname, found[1]) if found is not None else None


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
