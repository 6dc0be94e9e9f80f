# phase12-path: server/app/services/plugin_management_service.py
"""Every way to call the runner except through the injected attribute."""
from server.app.services import tool_runner
from server.app.services.tool_runner import ToolRunner as Runner

_SHARED = Runner(registry=None)


class PluginManagementService:
    def __init__(self, registry, executor: Runner):
        self._registry = registry
        self._runner = executor
        self._executor = executor
        self._own = Runner(registry)

    def execute_plugin(self, plugin_name, payload):
        return self._runner.run(plugin_name, payload)

    def inline(self, plugin_name, payload):
        return Runner(self._registry).run(plugin_name, payload)  # expect: GOV602

    def unbound(self, plugin_name, payload):
        return Runner.run(self._runner, plugin_name, payload)  # expect: GOV602

    def through_module(self, plugin_name, payload):
        return tool_runner.ToolRunner(self._registry).run(plugin_name, payload)  # expect: GOV602

    def local(self, plugin_name, payload):
        runner = Runner(self._registry)
        return runner.run(plugin_name, payload)  # expect: GOV602

    def shared(self, plugin_name, payload):
        return _SHARED.run(plugin_name, payload)  # expect: GOV602

    def other_attribute(self, plugin_name, payload):
        # The injected runner under another name is still the injected runner.
        return self._executor.run(plugin_name, payload)

    def own_runner(self, plugin_name, payload):
        return self._own.run(plugin_name, payload)  # expect: GOV602

    def in_context(self, plugin_name, payload):
        with Runner(self._registry) as runner:
            return runner.run(plugin_name, payload)  # expect: GOV602

    def not_an_execution(self):
        return Runner(self._registry).describe(), Runner.run.__doc__
