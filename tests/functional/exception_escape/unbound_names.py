# phase12-path: server/app/services/tool_runner.py
"""Except clauses that read names the try may not have bound yet."""
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
            return validate_plugin_output(plugin.run(payload))
        except Exception as exc:
            return build_error_envelope(exc, plugin.name)  # expect: GOV403
        finally:
            self._registry.update_execution_metrics(plugin_name)

    def run_timed(self, plugin_name, payload):
        try:
            validate_input_payload(payload)
            began = time.monotonic()
            plugin = self._registry.get(plugin_name)
            return validate_plugin_output(plugin.run(payload))
        except Exception as exc:
            envelope = build_error_envelope(exc, plugin_name)
            envelope["error"]["details"]["after_s"] = time.monotonic() - began  # expect: GOV403
            return envelope
        finally:
            self._registry.update_execution_metrics(plugin_name)
