# phase12-path: server/app/services/tool_runner.py
"""Handlers through names: a module tuple holding Exception, and an imported alias we cannot see."""
from server.app.error_envelope import build_error_envelope
from server.app.errors import RECOVERABLE_ERRORS
from server.app.validation import validate_input_payload, validate_plugin_output

CATCH_ALL = (ValueError, Exception)


class ToolRunner:
    def __init__(self, registry):
        self._registry = registry

    def run(self, plugin_name, payload):
        try:
            validate_input_payload(payload)
            plugin = self._registry.get(plugin_name)
            try:
                raw_output = plugin.run(payload)
            except RECOVERABLE_ERRORS:
                raw_output = plugin.run(payload)
            return validate_plugin_output(raw_output)
        except CATCH_ALL as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name)
