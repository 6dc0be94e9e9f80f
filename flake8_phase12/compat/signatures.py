"""Comparing two call signatures, with griffe's own rules.

`griffe.find_breaking_changes` knows the fine print of Python calls: a removed keyword-only
parameter is still accepted by a new `**kwargs`, positional-or-keyword to keyword-only breaks
positional callers, a moved parameter matters only among positional ones. Rather than copy
those rules we rebuild the two signatures as tiny griffe functions (the old side may come from a
snapshot, where no griffe tree exists) and let griffe judge. We add what griffe leaves out:
a removed parameter and a new one in the same position are reported as one rename.
"""

from __future__ import annotations

from dataclasses import dataclass

import griffe

from flake8_phase12.compat.model import Param

_PROBE = "probe"
# griffe's visitor gives variadic parameters these defaults, and takes a None default as required.
_VARIADIC_DEFAULTS = {"variadic positional": "()", "variadic keyword": "{}"}


@dataclass(frozen=True)
class ParameterChange:
    """One incompatibility between two signatures; `kind` names it for the report."""

    kind: str  # parameter-removed, parameter-renamed, parameter-moved, parameter-kind-changed,
    #            parameter-required, parameter-added-required, default-changed
    parameter: str
    old: str
    new: str
    detail: str = ""


def compare_parameters(old: tuple[Param, ...], new: tuple[Param, ...]) -> list[ParameterChange]:
    """Every breaking difference between the old and the new parameters, in parameter order."""
    changes: list[ParameterChange] = []
    for breakage in griffe.find_breaking_changes(_probe_module(old), _probe_module(new)):
        change = _from_breakage(breakage, old, new)
        if change is not None:
            changes.append(change)
    return _drop_consequential_moves(_merge_renames(changes, old, new), old, new)


def _probe_module(params: tuple[Param, ...]) -> griffe.Module:
    module = griffe.Module("phase12_signature_probe")
    function = griffe.Function(_PROBE, parameters=griffe.Parameters(*(
        griffe.Parameter(param.name, kind=griffe.ParameterKind(param.kind),
                         default=_VARIADIC_DEFAULTS.get(param.kind, param.default))
        for param in params)))
    module.set_member(_PROBE, function)
    return module


def _from_breakage(breakage: griffe.Breakage, old: tuple[Param, ...], new: tuple[Param, ...]
                   ) -> ParameterChange | None:
    kind = breakage.kind
    old_param = breakage.old_value if isinstance(breakage.old_value, griffe.Parameter) else None
    new_param = breakage.new_value if isinstance(breakage.new_value, griffe.Parameter) else None
    name = (old_param or new_param).name if (old_param or new_param) else ""
    if kind is griffe.BreakageKind.PARAMETER_REMOVED:
        return ParameterChange("parameter-removed", name, _render(old, name), "")
    if kind is griffe.BreakageKind.PARAMETER_MOVED:
        return ParameterChange("parameter-moved", name, _render(old, name), _render(new, name),
                               breakage.details)
    if kind is griffe.BreakageKind.PARAMETER_CHANGED_KIND:
        return ParameterChange("parameter-kind-changed", name,
                               old_param.kind.value,  # type: ignore[union-attr]
                               new_param.kind.value)  # type: ignore[union-attr]
    if kind is griffe.BreakageKind.PARAMETER_CHANGED_REQUIRED:
        return ParameterChange("parameter-required", name, _render(old, name), _render(new, name))
    if kind is griffe.BreakageKind.PARAMETER_ADDED_REQUIRED:
        return ParameterChange("parameter-added-required", name, "", _render(new, name))
    if kind is griffe.BreakageKind.PARAMETER_CHANGED_DEFAULT:
        return ParameterChange("default-changed", name, str(old_param.default),  # type: ignore[union-attr]
                               str(new_param.default))  # type: ignore[union-attr]
    return None  # return annotations and the like: not part of the Phase 11 contract we check


def _render(params: tuple[Param, ...], name: str) -> str:
    for param in params:
        if param.name == name:
            return param.render()
    return name


def _merge_renames(changes: list[ParameterChange], old: tuple[Param, ...], new: tuple[Param, ...]
                   ) -> list[ParameterChange]:
    """A parameter removed at position i and a new one at position i of the same kind: a rename.

    Keyword callers break either way, so it stays a breaking change, but "renamed `a` to `b`"
    tells the author what to restore where "removed `a`" plus "added `b`" would not.
    """
    old_names = {param.name for param in old}
    new_names = {param.name for param in new}
    merged: list[ParameterChange] = []
    for change in changes:
        if change.kind != "parameter-removed":
            continue
        index = next(i for i, param in enumerate(old) if param.name == change.parameter)
        if index < len(new):
            candidate = new[index]
            if (candidate.name not in old_names and candidate.kind == old[index].kind
                    and change.parameter not in new_names):
                merged.append(ParameterChange("parameter-renamed", change.parameter, old[index].render(),
                                              candidate.render()))
    result: list[ParameterChange] = []
    renamed_from = {change.parameter for change in merged}
    renamed_to = {_name_of(change.new) for change in merged}
    for change in changes:
        if change.kind == "parameter-removed" and change.parameter in renamed_from:
            result.append(next(item for item in merged if item.parameter == change.parameter))
        elif change.kind == "parameter-added-required" and change.parameter in renamed_to:
            continue  # folded into the rename
        else:
            result.append(change)
    return result


def _drop_consequential_moves(changes: list[ParameterChange], old: tuple[Param, ...], new: tuple[Param, ...]
                              ) -> list[ParameterChange]:
    """Drop "moved" when it only echoes a reported removal, rename or required insertion.

    griffe compares positions, so removing `b` from `(a, b, c)` also "moves" `c`. When the
    parameters both sides share keep their relative order and another change already explains
    the shift, the moves add nothing. An optional parameter inserted mid-way is different: it
    is reported by nothing else, and positional callers do break, so its moves stay.
    """
    explained = any(change.kind in ("parameter-removed", "parameter-renamed", "parameter-added-required")
                    for change in changes)
    if not explained:
        return changes
    positional = ("positional-only", "positional or keyword")
    new_names = [param.name for param in new if param.kind in positional]
    old_names = [param.name for param in old if param.kind in positional]
    shared_old = [name for name in old_names if name in new_names]
    shared_new = [name for name in new_names if name in old_names]
    if shared_old != shared_new:
        return changes
    return [change for change in changes if change.kind != "parameter-moved"]


def _name_of(rendered: str) -> str:
    name = rendered.lstrip("*")
    for separator in (":", "="):
        name = name.split(separator, 1)[0]
    return name.strip()
