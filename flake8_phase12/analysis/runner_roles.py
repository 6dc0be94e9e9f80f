"""The runner's roles by module: which modules are the runner's layer, and which roles live in
a module of another role (checklist §1 and §6).

`[tool.phase12.runner]` names the runner (`module` with `class` and `method`, or `function`)
and, in `also`, more runner roles: a sync and an async twin, a runner function in another
module, a closure a composition root hands to a constructor, a method of the plugin-management
class. Every role is governed as the runner is; how far its module is the runner's depends on
where it lives. Decided from the configuration alone (module patterns), cheap enough for the
gates that run on every file.
"""

from __future__ import annotations

from functools import lru_cache

from flake8_phase12.analysis.context import module_matches
from flake8_phase12.config.model import Config, RunnerTarget


def runner_layer_modules(config: Config) -> tuple[str, ...]:
    """The modules of the runner's layer: `runner.module`, and the module of each runner role
    of `runner.also` that is not hosted by another role's module (see `hosted_runner_targets`).
    The whole module may execute plugins, and the chain's last layer is these modules."""
    if not config.runner.also:
        return (config.runner.module,) if config.runner.module else ()
    return _runner_layer(config)[0]


def hosted_runner_targets(config: Config) -> tuple[RunnerTarget, ...]:
    """The runner roles that live in a module of another role: a closure a composition root
    hands to a constructor (`build.<locals>.run`), a method of the plugin-management class or
    another function in a service, API or `layers.chain` module. Such a role is governed as the
    runner is (sections 2-5 judge it, it may execute plugins), but its module is not the
    runner's: the rest of that module is judged as before."""
    if not config.runner.also:
        return ()
    return _runner_layer(config)[1]


@lru_cache(maxsize=32)
def _runner_layer(config: Config) -> tuple[tuple[str, ...], tuple[RunnerTarget, ...]]:
    runner, services = config.runner, config.services
    others = tuple(pattern for pattern in (
        services.analysis.module, services.job_management.module, services.plugin_management.module,
        *config.api.route_modules, *config.layers.chain[:-1]) if pattern)
    modules = [runner.module] if runner.module else []
    for target in runner.also_targets:
        if not target.nested and not _overlaps(target.module, others):
            modules.append(target.module)
    hosted = tuple(target for target in runner.targets if not _overlaps(target.module, modules))
    return tuple(dict.fromkeys(modules)), hosted


def _overlaps(pattern: str, patterns) -> bool:
    """Whether two module patterns may name the same module (either matches the other)."""
    return any(pattern == other or module_matches(pattern, (other,)) or module_matches(other, (pattern,))
               for other in patterns)
