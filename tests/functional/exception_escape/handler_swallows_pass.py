# phase12-path: server/app/services/tool_runner.py
"""A bare `except: pass` around the execution: the caller gets None and no envelope."""
from server.app.validation import validate_input_payload, validate_plugin_output


class ToolRunner:
    def __init__(self, registry):
        self._registry = registry

    def run(self, plugin_name, payload):
        try:
            validate_input_payload(payload)
            plugin = self._registry.get(plugin_name)
            return validate_plugin_output(plugin.run(payload))
        except:  # expect: GOV407
            pass
        finally:
            self._registry.update_execution_metrics(plugin_name)
