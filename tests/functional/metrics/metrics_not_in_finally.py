# phase12-path: server/app/services/tool_runner.py
"""Metrics updates that miss executions."""
import time

from server.app.error_envelope import build_error_envelope
from server.app.validation import validate_input_payload, validate_plugin_output


class ToolRunner:
    def __init__(self, registry):
        self._registry = registry

    def run(self, plugin_name, payload):
        try:
            validate_input_payload(payload)
            plugin = self._registry.get(plugin_name)
            return validate_plugin_output(plugin.run(payload))  # expect: GOV501
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)

    def run_in_body(self, plugin_name, payload):
        try:
            validate_input_payload(payload)
            plugin = self._registry.get(plugin_name)
            output = validate_plugin_output(plugin.run(payload))
            self._registry.update_execution_metrics(plugin_name, success=True)  # expect: GOV502
            return output
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)

    def run_in_both(self, plugin_name, payload):
        try:
            validate_input_payload(payload)
            plugin = self._registry.get(plugin_name)
            return validate_plugin_output(plugin.run(payload))
        except Exception as exc:
            self._registry.update_execution_metrics(plugin_name, success=False)  # expect: GOV502
            return build_error_envelope(exc, plugin_name)
        else:
            self._registry.update_execution_metrics(plugin_name, success=True)  # expect: GOV502

    def run_after(self, plugin_name, payload):
        try:
            validate_input_payload(payload)
            plugin = self._registry.get(plugin_name)
            output = validate_plugin_output(plugin.run(payload))
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        self._registry.update_execution_metrics(plugin_name, success=True)  # expect: GOV502
        return output

    def run_wrong_finally(self, plugin_name, payload):
        try:
            started = time.perf_counter()
        finally:
            self._registry.update_execution_metrics(plugin_name, success=True)  # expect: GOV502
        try:
            validate_input_payload(payload)
            plugin = self._registry.get(plugin_name)
            return validate_plugin_output(plugin.run(payload))
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)

    def run_counted_twice(self, plugin_name, payload):
        success = False
        try:
            error = validate_input_payload(payload)
            if error:
                self._registry.update_execution_metrics(plugin_name, success=False)  # expect: GOV502
                return build_error_envelope(error, plugin_name)
            plugin = self._registry.get(plugin_name)
            output = validate_plugin_output(plugin.run(payload))
            success = True
            return output
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name, success=success)
