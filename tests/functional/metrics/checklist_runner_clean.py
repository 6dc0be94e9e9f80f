# phase12-path: server/app/services/tool_runner.py
"""The checklist-shaped runner: validate, look up, run, validate the output, envelope, metrics.

plugin.run(payload) before validate_input_payload(payload) in a docstring is not code.
"""
import time

from server.app.error_envelope import build_error_envelope
from server.app.validation import validate_input_payload, validate_plugin_output


class ToolRunner:
    def __init__(self, registry):
        self._registry = registry

    def run(self, plugin_name, payload):
        started = time.perf_counter()
        success = False
        try:
            validate_input_payload(payload)
            plugin = self._registry.get(plugin_name)
            raw_output = plugin.run(payload)
            output = validate_plugin_output(raw_output)
            success = True
            return output
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            duration_ms = (time.perf_counter() - started) * 1000.0
            self._registry.update_execution_metrics(plugin_name, success=success,
                                                    duration_ms=duration_ms)

    def _invoke(self, plugin, payload):
        # A private helper: its caller governs the execution.
        return plugin.run(payload)

    def describe(self, plugin_name):
        # Looks a plugin up without executing it: not an execution method.
        return self._registry.get(plugin_name).describe()
