# phase12-path: server/app/services/tool_runner.py
"""The plugin lookup before the try: an unknown plugin name escapes as a raw KeyError."""
from server.app.error_envelope import build_error_envelope
from server.app.validation import validate_input_payload, validate_plugin_output


class ToolRunner:
    def __init__(self, registry):
        self._registry = registry

    def run(self, plugin_name, payload):
        error = validate_input_payload(payload)
        if error is not None:
            return build_error_envelope(error, plugin_name)
        plugin = self._registry.get(plugin_name)  # expect: GOV405
        try:
            return validate_plugin_output(plugin.run(payload))
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name)
