# phase12-path: server/app/services/tool_runner.py
"""The runner is the one place allowed to execute plugins (governed as sections 2-5 require)."""
from server.app.error_envelope import build_error_envelope
from server.app.validation import validate_input_payload, validate_plugin_output


class ToolRunner:
    def __init__(self, registry):
        self._registry = registry

    def run(self, plugin_name, payload):
        success = False
        try:
            validate_input_payload(payload)
            plugin = self._registry.get(plugin_name)
            output = validate_plugin_output(plugin.run(payload))
            success = True
            return output
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name, success=success)
