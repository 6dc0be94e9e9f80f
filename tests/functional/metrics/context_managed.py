# phase12-path: server/app/services/tool_runner.py
"""A context-managed metrics update only counts when the `with` holds the execution."""
from server.app.error_envelope import build_error_envelope
from server.app.validation import validate_input_payload, validate_plugin_output


class ToolRunner:
    def __init__(self, registry):
        self._registry = registry

    def run(self, plugin_name, payload):
        with self._registry.update_execution_metrics(plugin_name):  # expect: GOV502
            validate_input_payload(payload)  # expect: GOV203
        try:
            plugin = self._registry.get(plugin_name)
            return validate_plugin_output(plugin.run(payload))
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)

    def run_counted_twice(self, plugin_name, payload):
        with self._registry.update_execution_metrics(plugin_name):
            try:
                validate_input_payload(payload)
                plugin = self._registry.get(plugin_name)
                output = validate_plugin_output(plugin.run(payload))
                self._registry.update_execution_metrics(plugin_name)  # expect: GOV502
                return output
            except Exception as exc:
                return build_error_envelope(exc, plugin_name)

    def run_with_the_update_inside(self, plugin_name, payload):
        with self._lock:
            try:
                validate_input_payload(payload)
                plugin = self._registry.get(plugin_name)
                output = validate_plugin_output(plugin.run(payload))
                self._registry.update_execution_metrics(plugin_name)  # expect: GOV502
                return output
            except Exception as exc:
                return build_error_envelope(exc, plugin_name)
