# phase12-path: server/app/services/tool_runner.py
"""Invalid input answered before the try with an exception class of this file: building the
exception object cannot raise, so the rejection needs no guard."""
import time

from server.app.error_envelope import build_error_envelope
from server.app.validation import validate_input_payload, validate_plugin_output


BLOCKED = frozenset({"_internal"})


class InvalidInput(ValueError):
    pass


class Rejected(InvalidInput):
    pass


class ToolRunner:
    def __init__(self, registry):
        self._registry = registry

    def run(self, plugin_name, payload):
        errors = validate_input_payload(payload)
        if errors:
            return build_error_envelope(InvalidInput(errors), plugin_name)
        if plugin_name in BLOCKED:
            return build_error_envelope(Rejected(plugin_name), plugin_name)
        started = time.perf_counter()
        success = False
        try:
            plugin = self._registry.get(plugin_name)
            output = validate_plugin_output(plugin.run(payload))
            success = True
            return output
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name, success=success,
                                                    duration_ms=time.perf_counter() - started)
