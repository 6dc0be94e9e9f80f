"""The project model as a check of one file sees it: built lazily, once per file.

A check asks `objects(ctx)` only when the file alone cannot answer (a receiver whose name says
nothing, a class imported from elsewhere); most files never pay for the model, and a check that
only resolves names (the runner's envelope, GOV408) never loads the typing of expressions. The model of a
project is shared by every file flake8 or pylint checks in one process.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from flake8_phase12.analysis.context import FileContext
from flake8_phase12.model.facts import Module
from flake8_phase12.model.project import ProjectModel, project_model

if TYPE_CHECKING:
    from flake8_phase12.model.objects import FileObjects


def model(ctx: FileContext) -> ProjectModel:
    config = ctx.config
    return project_model(os.path.abspath(config.project_root), config.all_excludes)


def facts(ctx: FileContext) -> Module:
    """This file's facts, read from the tree being checked (memoised on the context)."""
    found = ctx.memo.get(facts)
    if found is None:
        found = ctx.memo[facts] = model(ctx).facts_from_tree(ctx.tree, os.path.abspath(ctx.path),
                                                             source=ctx.source)
    return found  # type: ignore[return-value]


def objects(ctx: FileContext) -> FileObjects:
    """The typing of this file's expressions, from the model (memoised on the context)."""
    found = ctx.memo.get(objects)
    if found is None:
        # Imported here: the envelope's reading (GOV408) needs the model, not this typing.
        from flake8_phase12.model.objects import FileObjects

        found = FileObjects(model(ctx), facts(ctx), ctx.tree, ctx.parents)
        ctx.memo[objects] = found
    return found  # type: ignore[return-value]


def plugin_type_test(ctx: FileContext):
    """A `PluginNames` hook: is this expression a plugin instance by its type?"""
    bases = ctx.config.plugin_base_classes

    def is_plugin(expression, at) -> bool:
        try:
            return objects(ctx).is_plugin(expression, bases, at)
        except RecursionError:  # machine-made nesting: unknown, so silent
            return False
    return is_plugin
