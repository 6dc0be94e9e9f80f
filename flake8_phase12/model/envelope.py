"""What the module that declares the envelope builder or the envelope model says of it, for the
runner's file when the file alone does not (`from app.failures import Failure`):
the builder's definition (`Failure.from_exception`, `failure_envelope`), read in its own module,
and the pydantic models of an envelope model declared there. A name the project model cannot
resolve to a definition of the project, or a module that cannot be read, stays unknown (None)."""

from __future__ import annotations

import ast

from flake8_phase12.analysis.context import FileContext
from flake8_phase12.analysis.dict_shape import ModelInfo, model_classes
from flake8_phase12.analysis.flow import FunctionNode
from flake8_phase12.model.context import facts, model
from flake8_phase12.model.project import Ref
from flake8_phase12.model.trees import module_tree

DEFINITIONS = (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)


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
    found = module_tree(ref.module, project.roots)  # kept while unchanged: every runner file reads it
    return (ref, found[1]) if found is not None else None


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
