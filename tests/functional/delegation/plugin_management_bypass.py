# phase12-path: server/app/services/plugin_management_service.py
"""Entry methods that reach plugins without the runner."""
from server.app import sandbox
from server.app.services.tool_runner import ToolRunner


def legacy_execute(plugin_name, payload):
    return sandbox.execute(plugin_name, payload)


class PluginManagementService:
    def __init__(self, runner, registry):
        self._runner = runner
        self._registry = registry

    def execute_plugin(self, plugin_name, payload):  # expect: GOV601
        return sandbox.execute(self._registry.lookup(plugin_name), payload)

    def execute_batch(self, requests):  # expect: GOV601
        return [self._execute_one(name, payload) for name, payload in requests]

    def _execute_one(self, plugin_name, payload):
        return legacy_execute(plugin_name, payload)

    def execute_other_method(self, plugin_name, payload):  # expect: GOV601
        return self._runner_status(plugin_name)

    def _runner_status(self, plugin_name):
        return {"plugin": plugin_name, "ready": self._runner is not None}

    def execute_batch_path(self, plugin_name, payloads):
        return self._runner.run_batch(plugin_name, payloads)  # expect: GOV602

    def execute_direct(self, plugin_name, payload):
        plugin = self._registry.get(plugin_name)
        return plugin.run(payload)  # expect: GOV101

    def execute_inline(self, plugin_name, payload):
        return ToolRunner(self._registry).run(plugin_name, payload)  # expect: GOV602
