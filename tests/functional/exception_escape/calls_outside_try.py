# phase12-path: server/app/services/tool_runner.py
"""Calls that can raise, outside the body of the try that catches Exception."""
import json
import time

from server.app.error_envelope import build_error_envelope
from server.app.validation import validate_input_payload, validate_plugin_output


class ToolRunner:
    def __init__(self, registry, audit, alerts):
        self._registry = registry
        self._audit = audit
        self._alerts = alerts

    def run(self, plugin_name, payload):
        started = time.perf_counter()
        plugin = None
        output = None
        try:
            validate_input_payload(payload)
            plugin = self._registry.get(plugin_name)
            output = validate_plugin_output(plugin.run(payload))
        except Exception as exc:
            self._alerts.notify(plugin_name, str(exc))  # expect: GOV405
            return build_error_envelope(exc, plugin_name)
        finally:
            duration_ms = self._elapsed_ms(started)
            self._registry.update_execution_metrics(plugin_name, duration_ms=duration_ms)
            self._release(plugin)  # expect: GOV405
        self._audit.record(plugin_name, payload=self._redact(payload))  # expect: GOV405
        return self._format(output)  # expect: GOV405

    def _redact(self, payload):
        return {key: value for key, value in payload.items() if key != "image"}

    def _release(self, plugin):
        if plugin is not None:
            plugin.close()

    def _format(self, output):
        return json.loads(json.dumps(output))

    def _elapsed_ms(self, started):
        """Only a clock reading: calling it outside the try is harmless."""
        return round((time.perf_counter() - started) * 1000.0, 3)
