# phase12-path: server/app/services/tool_runner.py
"""A class of this file that is not an exception can raise when built outside the try."""
import time

from server.app.error_envelope import build_error_envelope
from server.app.validation import validate_input_payload, validate_plugin_output


class Budget:
    def __init__(self, plugin_name):
        self.limit = LIMITS[plugin_name]


class ToolRunner:
    def __init__(self, registry):
        self._registry = registry

    def run(self, plugin_name, payload):
        budget = Budget(plugin_name)  # expect: GOV405
        started = time.perf_counter()
        success = False
        try:
            validate_input_payload(payload)
            plugin = self._registry.get(plugin_name)
            output = validate_plugin_output(plugin.run(payload, budget.limit))
            success = True
            return output
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name, success=success,
                                                    duration_ms=time.perf_counter() - started)
