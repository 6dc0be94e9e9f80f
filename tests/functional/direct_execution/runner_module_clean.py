# phase12-path: server/app/services/tool_runner.py
"""The runner is the one place allowed to execute plugins."""


class ToolRunner:
    def __init__(self, registry):
        self._registry = registry

    def run(self, plugin_name, payload):
        plugin = self._registry.get(plugin_name)
        return plugin.run(payload)
