"""Questions about the whole project: they read every module, so they are for the audit, `init`
and the end of a pylint run, never for one file in an editor."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from flake8_phase12.model.facts import Call, Class, Function, Module
from flake8_phase12.model.project import ProjectModel, Ref


def classes(model: ProjectModel) -> Iterator[tuple[Module, Class]]:
    for module in model.modules():
        for cls in module.classes:
            yield module, cls


def subclasses(model: ProjectModel, base_names: Iterable[str]) -> list[Ref]:
    """Every class of the project that derives from one of `base_names` (`derives_from`)."""
    names = tuple(base_names)
    return [Ref(module.name, cls.qualname, "class") for module, cls in classes(model)
            if model.derives_from(Ref(module.name, cls.qualname, "class"), names)]


def constructions(model: ProjectModel, target: Ref) -> Iterator[tuple[Module, Function, Call]]:
    """Every call, anywhere in the project, whose callee resolves to `target`."""
    short = target.name
    for module in model.modules():
        for function in module.functions:
            for call in function.calls:
                if call.callee.rsplit(".", 1)[-1] == short and model.resolve(module, call.callee) == target:
                    yield module, function, call
