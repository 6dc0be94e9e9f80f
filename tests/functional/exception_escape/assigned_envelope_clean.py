# phase12-path: server/app/services/tool_runner.py
"""The handler assigns the envelope; the method returns it after the try."""
from server.app.error_envelope import build_error_envelope
from server.app.validation import validate_input_payload, validate_plugin_output


class ToolRunner:
    def __init__(self, registry):
        self._registry = registry

    def run(self, plugin_name, payload):
        try:
            validate_input_payload(payload)
            plugin = self._registry.get(plugin_name)
            result = validate_plugin_output(plugin.run(payload))
        except Exception as exc:
            result: dict = build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name)
        return result
