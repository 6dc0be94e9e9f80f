"""Which role a file plays in the checklist's architecture, decided from its module path alone.

These are the cheap gates the registry uses before it imports a rules module: flake8 starts
afresh for every editor keystroke, and most files are neither the runner, a service, a route,
the envelope nor the registry module, so they should not pay for loading those rules. A gate may
say yes for more files than its rules care about (the checks' own `applies_to` decide finally),
never for fewer; `tests/test_registry.py` checks that on every fixture and example file.
"""

from __future__ import annotations

from flake8_phase12.analysis.context import FileContext


def may_execute_plugins_directly(ctx: FileContext) -> bool:
    """Any file but the sanctioned execution sites whose text names a plugin execution method
    (`run`, ...). Without the source (an AST alone), every such file."""
    config = ctx.config
    if ctx.module_matches(config.runner.module, *config.sanctioned_modules):
        return False
    if not ctx.source:
        return True
    if not any(method in ctx.source for method in config.execution_methods):
        return False
    # Imported here: most files never name a method at all (above). Those that do, in a word
    # like `runner` or in prose, are told apart from `.run` without the plugin analysis.
    from flake8_phase12.analysis.execution_text import may_execute_plugins

    return may_execute_plugins(ctx.source, config.execution_methods)


def is_runner_module(ctx: FileContext) -> bool:
    return ctx.module_matches(ctx.config.runner.module)


def is_envelope_module(ctx: FileContext) -> bool:
    return ctx.module_matches(ctx.config.envelope.module)


def is_envelope_or_runner_module(ctx: FileContext) -> bool:
    """The envelope's shape is read where it is built, and where the runner calls the builder."""
    return is_envelope_module(ctx) or is_runner_module(ctx)


def is_registry_module(ctx: FileContext) -> bool:
    return ctx.module_matches(ctx.config.metrics.registry_module)


def is_route_module(ctx: FileContext) -> bool:
    return ctx.module_matches(*ctx.config.api.route_modules)


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
        *config.layers.chain, *config.api.route_modules, config.runner.module,
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


def _service_module(ctx: FileContext, module: str) -> bool:
    return bool(module) and ctx.module_matches(module)
