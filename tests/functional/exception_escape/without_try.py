# phase12-path: server/app/services/tool_runner.py
"""No try/except at all: a try/finally does not catch anything."""
from server.app.validation import validate_input_payload, validate_plugin_output


class ToolRunner:
    def __init__(self, registry):
        self._registry = registry

    @staticmethod
    def describe():
        return "runner"

    def run(self, plugin_name, payload):  # expect: GOV401
        try:
            validate_input_payload(payload)
            plugin = self._registry.get(plugin_name)
            if plugin is None:
                raise KeyError(plugin_name)  # expect: GOV404
            return validate_plugin_output(plugin.run(payload))
        finally:
            self._registry.update_execution_metrics(plugin_name)
