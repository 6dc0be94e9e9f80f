"""Which role a file plays in the checklist's architecture, decided from its module path and
text alone.

These are the gates of the rules modules (`rules.FILE_CHECK_GATES`), tested before a module is
imported: flake8 starts afresh for every editor keystroke, and most files are neither the
runner, a service, a route, the envelope nor the registry module, so they should not pay for
loading those rules. A check never runs on a file its gate refuses, so a gate that reads the
text must refuse only files where its checks cannot find anything (the functional fixtures and
the examples, linted by flake8 and pylint, show it); a check may narrow its gate further.
"""

from __future__ import annotations

from functools import lru_cache

from flake8_phase12.analysis.context import FileContext
from flake8_phase12.analysis.runner_roles import runner_layer_modules
from flake8_phase12.config.model import Config


def may_execute_plugins_directly(ctx: FileContext) -> bool:
    """Any file but the sanctioned execution sites whose text names a plugin execution method
    (`run`, ...) or a runner's or a sanctioned module. Without the source (an AST alone),
    every such file. A module that hosts a runner role (a composition root's closure) is no
    sanctioned site: only the role's own body is."""
    config = ctx.config
    if ctx.module_matches(*runner_layer_modules(config), *config.execution_modules):
        return False
    if not ctx.source:
        return True
    modules = (*config.runner.modules, *config.execution_modules)
    if not any(method in ctx.source for method in config.execution_methods) \
            and "getattr" not in ctx.source \
            and not any(pattern.rsplit(".", 1)[-1] in ctx.source for pattern in modules):
        return False
    # Imported here: most files never name a method or those modules at all (above). Those
    # that do, in a word like `runner` or in prose, are told apart without the plugin analysis.
    from flake8_phase12.analysis.execution_text import may_execute_plugins, mentions_execution_modules

    # A file that may import from the runner may hand a plugin to a helper that executes it.
    return mentions_execution_modules(ctx.source, modules) \
        or may_execute_plugins(ctx.source, config.execution_methods)


def may_call_a_sanctioned_executor(ctx: FileContext) -> bool:
    """A module not allowed to call one of the `sanctioned_executors` whose text names it
    (without the source, any such module)."""
    for target, callers in ctx.config.sanctioned_executors:
        module, _, qualname = target.partition(":")
        if module and qualname and not ctx.module_matches(module, *callers) \
                and (not ctx.source or qualname.rsplit(".", 1)[-1] in ctx.source):
            return True
    return False


def is_runner_module(ctx: FileContext) -> bool:
    """The module of a runner role: `runner.module`, or the module of one of `runner.also`."""
    return ctx.module_matches(*ctx.config.runner.modules)


def is_envelope_module(ctx: FileContext) -> bool:
    return ctx.module_matches(ctx.config.envelope.module)


def is_envelope_or_runner_module(ctx: FileContext) -> bool:
    """The envelope's shape is read where it is built, and where the runner calls the builder."""
    return is_envelope_module(ctx) or is_runner_module(ctx)


def is_registry_module(ctx: FileContext) -> bool:
    return ctx.module_matches(ctx.config.metrics.registry_module)


def may_hold_lifecycle_states(ctx: FileContext) -> bool:
    """A module other than the runner whose text names every configured lifecycle state
    (`SUCCESS` and `ERROR`): it may define the state machine the registry drives. Without the
    source (an AST alone), every module but the runner."""
    config = ctx.config
    if is_runner_module(ctx):
        return False
    return not ctx.source or all(state in ctx.source for state in config.metrics.states)


def may_keep_registry_metrics(ctx: FileContext) -> bool:
    """The registry module, or a module that may hold its lifecycle state machine."""
    return is_registry_module(ctx) or may_hold_lifecycle_states(ctx)


@lru_cache(maxsize=32)
def api_module_patterns(config: Config) -> tuple[str, ...]:
    """Module patterns of the API package: the route modules, the first `layers.chain` entry,
    and the modules beside a route module given by its dotted name (`app.api.routes` -> every
    `app.api.<name>`), where failure helpers and more routes (a WebSocket) live."""
    patterns = [*config.api.route_modules, *config.layers.chain[:1]]
    siblings = [pattern.rsplit(".", 1)[0] + ".?*" for pattern in patterns
                if "." in pattern and "*" not in pattern and "?" not in pattern]
    return tuple(dict.fromkeys(patterns + siblings))


@lru_cache(maxsize=32)
def _api_patterns_and_words(config: Config) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((pattern, tuple(word for word in pattern.replace("?", ".").replace("*", ".")
                                 .split(".") if word))
                 for pattern in api_module_patterns(config))


def is_api_module(ctx: FileContext) -> bool:
    """A route module or another module of the API package (see `api_module_patterns`). Every
    file passes this gate, so a pattern is matched only when its literal words are all in the
    module path (`api` for `api.*`)."""
    path = ctx.module_path
    return any(all(word in path for word in words) and ctx.module_matches(pattern)
               for pattern, words in _api_patterns_and_words(ctx.config))


def is_analysis_service(ctx: FileContext) -> bool:
    return _service_module(ctx, ctx.config.services.analysis.module)


def is_job_management_service(ctx: FileContext) -> bool:
    return _service_module(ctx, ctx.config.services.job_management.module)


def is_plugin_management_service(ctx: FileContext) -> bool:
    return _service_module(ctx, ctx.config.services.plugin_management.module)


def is_service_module(ctx: FileContext) -> bool:
    """One of the three services between the API and the runner."""
    return is_analysis_service(ctx) or is_job_management_service(ctx) \
        or is_plugin_management_service(ctx)


def is_in_the_chain(ctx: FileContext) -> bool:
    """Any module of the delegation chain: a `layers.chain` entry, a service, the runner or a
    route module (the layers of `analysis.layers` are built from exactly these patterns)."""
    config = ctx.config
    services = config.services
    return ctx.module_matches(
        *config.layers.chain, *config.api.route_modules, *runner_layer_modules(config),
        services.analysis.module, services.job_management.module,
        services.plugin_management.module)


def may_depend_on_a_higher_layer(ctx: FileContext) -> bool:
    """A module of the chain below its top whose text names something of a layer above it
    (see `layers.higher_layer_words`). Without the source, every module of the chain."""
    if not is_in_the_chain(ctx):
        return False
    if not ctx.source:
        return True
    # Imported here: only modules of the chain need the layers.
    from flake8_phase12.analysis.layers import higher_layer_words

    words = higher_layer_words(ctx.config, ctx.module_path)
    return words is None or any(word in ctx.source for word in words)


def may_concern_the_chain(ctx: FileContext) -> bool:
    """A module of the delegation chain below the API (the runner only when its text names
    something of a layer above it), or a module outside the chain and the API package whose
    text names an entry method of a layer below the analysis service (`.submit_job`, `.run`,
    the runner's function): only such a call can enter the chain below its top."""
    config = ctx.config
    in_chain = is_in_the_chain(ctx)
    if not in_chain and ctx.source and not any(
            name and name in ctx.source for name in lower_entry_names(config)):
        return False  # the usual plain module: decided without loading the layers
    # Imported here: most files are neither in the chain nor name one of its entry methods.
    from flake8_phase12.analysis.layers import chain_index, chain_layers

    if is_api_module(ctx):
        return False  # the API contract check judges how routes reach the services (GOV608)
    index = chain_index(config, ctx.module_path)
    if index is not None:
        if index == 0:
            return False
        if index < len(chain_layers(config)) - 1:
            return True
        return may_depend_on_a_higher_layer(ctx)
    if not ctx.source:
        return True
    from flake8_phase12.analysis.execution_text import names_a_call

    return names_a_call(ctx.source, lower_entry_names(config))


def lower_entry_names(config: Config) -> tuple[str, ...]:
    """The names by which code calls a layer below the analysis service: the job-management
    and plugin-management services' entry and delegate methods, and the names of the runner
    roles (methods and functions). Code outside the chain that names none of them cannot skip
    into it."""
    services = config.services
    names = (*services.job_management.entry_methods, *services.plugin_management.entry_methods,
             *services.analysis.delegate_methods, *services.job_management.delegate_methods,
             *services.plugin_management.delegate_methods, config.runner.method,
             *config.runner.method_names, *config.runner.function_names)
    return tuple(dict.fromkeys(name for name in names if name))


def _service_module(ctx: FileContext, module: str) -> bool:
    return bool(module) and ctx.module_matches(module)
