"""The layer model used by ``StrictLayersContract``: parsing results -> grimp layers.

A layer line names one module or several siblings; with ``containers`` the names are relative
to each container. Optional layers that are absent are dropped per container *before* calling
grimp, because grimp still treats an absent closed layer as a barrier (``api -> jobs`` would be
reported as skipping a non-existent ``analysis`` layer).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import grimp

from ._graph import module_exists
from ._importlinter_compat import ParsedLayerLine


@dataclass(frozen=True)
class ResolvedLayer:
    """A layer as it exists in one container: absolute module names present in the graph."""

    modules: tuple[str, ...]
    is_independent: bool

    @property
    def display_name(self) -> str:
        separator = " | " if self.is_independent else " : "
        return separator.join(self.modules)


@dataclass(frozen=True)
class ContainerLayers:
    """The effective layer stack of one container (or of the whole graph without containers)."""

    container: str | None
    layers: tuple[ResolvedLayer, ...]

    @property
    def relative_signature(self) -> tuple[tuple[tuple[str, ...], bool], ...]:
        """The stack with the container prefix removed: containers with the same signature can
        share one grimp call."""
        prefix_length = len(self.container) + 1 if self.container else 0
        return tuple(
            (tuple(module[prefix_length:] for module in layer.modules), layer.is_independent)
            for layer in self.layers
        )


def absolute_name(container: str | None, tail: str) -> str:
    return f"{container}.{tail}" if container else tail


def resolve_container_layers(
    layer_lines: Sequence[ParsedLayerLine],
    container: str | None,
    graph: grimp.ImportGraph,
) -> tuple[ContainerLayers, list[str]]:
    """Resolve the layer lines for one container.

    Returns the effective stack and the absolute names of required modules that are missing.
    """
    missing: list[str] = []
    layers: list[ResolvedLayer] = []
    for line in layer_lines:
        present = []
        for module in line.modules:
            name = absolute_name(container, module.name)
            if module_exists(graph, name):
                present.append(name)
            elif not module.is_optional:
                missing.append(name)
        if present:
            layers.append(ResolvedLayer(modules=tuple(sorted(present)), is_independent=line.is_independent))
    return ContainerLayers(container=container, layers=tuple(layers)), missing


def to_grimp_layers(signature: tuple[tuple[tuple[str, ...], bool], ...]) -> list[grimp.Layer]:
    """Every intermediate layer is closed: that is what forbids skipping.

    grimp's closed layer means "layers above it may reach layers below it only through it".
    That has no meaning for the top and bottom layers (verified: closing them changes no
    result), so only the layers strictly between are closed, matching the definition.
    """
    last = len(signature) - 1
    return [
        grimp.Layer(*modules, independent=is_independent, closed=0 < index < last)
        for index, (modules, is_independent) in enumerate(signature)
    ]
