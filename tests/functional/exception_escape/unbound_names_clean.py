# phase12-path: server/app/services/tool_runner.py
"""Except clauses that read only what is bound whatever raised."""
import time

from server.app.error_envelope import build_error_envelope
from server.app.validation import validate_input_payload, validate_plugin_output


class ToolRunner:
    def __init__(self, registry):
        self._registry = registry

    def run(self, plugin_name, payload):
        plugin = None
        try:
            began = time.monotonic()
            validate_input_payload(payload)
            plugin = self._registry.get(plugin_name)
            return validate_plugin_output(plugin.run(payload))
        except Exception as exc:
            label = plugin.name if plugin is not None else plugin_name
            envelope = build_error_envelope(exc, label)
            envelope["error"]["details"]["after_s"] = time.monotonic() - began
            return envelope
        finally:
            self._registry.update_execution_metrics(plugin_name)

    def run_each(self, plugin_names, payload):
        results = []
        for name in plugin_names:
            try:
                validate_input_payload(payload)
                plugin = self._registry.get(name)
                results.append(validate_plugin_output(plugin.run(payload)))
            except Exception as exc:
                results.append(build_error_envelope(exc, name))
            finally:
                self._registry.update_execution_metrics(name)
        return results
