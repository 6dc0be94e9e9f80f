"""The layers of the delegation chain and what identifies each one in source code (checklist §6).

A layer is known by its module patterns (`tool_runner`), the names that stand for it (its class,
`ToolRunner`; for the runner also the plain runner function) and the attributes through which
the layer above holds it (`self._runner`, `self._plugin_mgmt`). The runner layer is every runner
role (`runner` and `runner.also`): their modules, classes and functions, except a role hosted
by the module of another role (see `runner_roles.hosted_runner_targets`).

`layers.chain` orders the layers top to bottom. Its first entry is the API, its last the runner;
an entry in between belongs to the service whose `module` pattern it is (or matches), and carries
that service's names. An entry that belongs to no service is a layer known by its pattern only.
"""

from __future__ import annotations

from functools import lru_cache

from flake8_phase12.analysis.context import module_matches
from flake8_phase12.analysis.runner_roles import hosted_runner_targets, runner_layer_modules
from flake8_phase12.config.model import Config, LayersConfig
from flake8_phase12.records import Record

API, ANALYSIS, JOB_MANAGEMENT, PLUGIN_MANAGEMENT, RUNNER = (
    "api", "analysis", "job_management", "plugin_management", "runner")
ROLES = (API, ANALYSIS, JOB_MANAGEMENT, PLUGIN_MANAGEMENT, RUNNER)
DEFAULT_CHAIN = LayersConfig().chain


class Layer(Record):
    """One layer of the chain. `label` names it in messages."""

    label: str
    patterns: tuple[str, ...]
    names: tuple[str, ...] = ()
    attributes: tuple[str, ...] = ()
    role: str = ""

    def contains(self, module_path: str) -> bool:
        return module_matches(module_path, self.patterns)


@lru_cache(maxsize=32)
def role_layers(config: Config) -> dict[str, Layer]:
    """The five roles of the checklist's chain, each with everything that identifies it."""
    services, runner, api = config.services, config.runner, config.api
    chain = config.layers.chain
    extra = _chain_patterns_by_role(config)
    return {
        API: Layer("the API", _unique(api.route_modules + chain[:1] + extra[API]), role=API),
        ANALYSIS: Layer(
            f"the analysis service ({services.analysis.class_name})",
            _unique((services.analysis.module, *extra[ANALYSIS])),
            names=_unique((services.analysis.class_name, *api.service_names)),
            attributes=_unique(name for name in api.service_names if name.islower()),
            role=ANALYSIS),
        JOB_MANAGEMENT: Layer(
            f"the job-management service ({services.job_management.class_name})",
            _unique((services.job_management.module, *extra[JOB_MANAGEMENT])),
            names=_unique((services.job_management.class_name,)),
            attributes=_unique(services.analysis.delegate_attributes),
            role=JOB_MANAGEMENT),
        PLUGIN_MANAGEMENT: Layer(
            f"the plugin-management service ({services.plugin_management.class_name})",
            _unique((services.plugin_management.module, *extra[PLUGIN_MANAGEMENT])),
            names=_unique((services.plugin_management.class_name,)),
            attributes=_unique(services.job_management.delegate_attributes),
            role=PLUGIN_MANAGEMENT),
        RUNNER: Layer(
            f"the runner ({runner_label(config)})",
            _unique((*runner_layer_modules(config), *chain[-1:], *extra[RUNNER])),
            names=_unique((runner.class_name, *_runner_names(config))),
            attributes=_unique(runner.attributes + services.plugin_management.delegate_attributes),
            role=RUNNER),
    }


@lru_cache(maxsize=32)
def chain_layers(config: Config) -> tuple[Layer, ...]:
    """The layers in `layers.chain` order, top (the API) to bottom (the runner)."""
    roles = role_layers(config)
    chain = config.layers.chain
    layers = []
    for index, pattern in enumerate(chain):
        role = _role_of_chain_entry(config, index, pattern)
        layers.append(roles[role] if role else Layer(f"the layer `{pattern}`", (pattern,)))
    return tuple(layers)


@lru_cache(maxsize=512)
def chain_index(config: Config, module_path: str) -> int | None:
    """The position of a module's layer in the chain (the first that matches), or None. The
    module is a file's dotted path or a module's import name: patterns match dotted suffixes."""
    for index, layer in enumerate(chain_layers(config)):
        if layer.contains(module_path):
            return index
    return None


def higher_layer_words(config: Config, module_path: str) -> tuple[str, ...] | None:
    """Words the text of a module must contain if it refers to a layer above its own: the class
    names and attributes of those layers, and a literal word of each of their module patterns
    (an import names the module, or the package it comes from: `from ..api import x`). Empty
    when nothing is above; None when a pattern has no literal word (`*`), so no text test."""
    index = chain_index(config, module_path)
    if not index:
        return ()
    layers = chain_layers(config)
    words: list[str] = []
    for layer in layers[:index]:
        if layer == layers[index]:
            continue
        words.extend(layer.names)
        words.extend(layer.attributes)
        for pattern in layer.patterns:
            word = _literal_word(pattern)
            if not word:
                return None
            words.append(word)
    return tuple(words)


def _literal_word(pattern: str) -> str:
    """The longest literal part of a pattern's last name: `api` for `app.api.*`, `_service`
    for `*_service`. A relative import always spells out its module's last name."""
    name = pattern.removesuffix(".*").rsplit(".", 1)[-1]
    return max(name.replace("?", "*").split("*"), key=len)


def runner_label(config: Config) -> str:
    """The runner as messages name it: its function or class, then those of the other roles
    (`run_plugin, run_plugin_async`)."""
    runner = config.runner
    others = (target.owner or target.name for target in runner.also_targets)
    return ", ".join(_unique((runner.function or runner.class_name, *others)))


def _chain_patterns_by_role(config: Config) -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {role: [] for role in ROLES}
    for index, pattern in enumerate(config.layers.chain):
        role = _role_of_chain_entry(config, index, pattern)
        if role:
            found[role].append(pattern)
    return {role: tuple(patterns) for role, patterns in found.items()}


def _role_of_chain_entry(config: Config, index: int, pattern: str) -> str:
    chain = config.layers.chain
    if index == 0:
        return API
    if index == len(chain) - 1:
        return RUNNER
    if chain == DEFAULT_CHAIN:
        # The checklist's own chain, left as it is: its entries are the checklist's layers,
        # wherever `[tool.phase12.services]` says their modules are.
        return ROLES[index]
    services = config.services
    modules = ((ANALYSIS, services.analysis.module),
               (JOB_MANAGEMENT, services.job_management.module),
               (PLUGIN_MANAGEMENT, services.plugin_management.module),
               *((RUNNER, module) for module in runner_layer_modules(config)))
    for role, module in modules:
        if module and (module == pattern or module_matches(module, (pattern,))
                       or module_matches(pattern, (module,))):
            return role
    return ""


def _runner_names(config: Config) -> tuple[str, ...]:
    """The classes and functions of the runner roles in the runner's own modules (a role hosted
    by another module, a closure of a composition root, does not make its names the runner's)."""
    hosted = hosted_runner_targets(config)
    return tuple(target.owner or target.name for target in config.runner.targets
                 if target not in hosted)


def _unique(items) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item for item in items if item))
