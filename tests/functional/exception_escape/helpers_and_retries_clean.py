# phase12-path: server/app/services/tool_runner.py
"""A retry loop that builds the envelope from the last error, and envelope helpers."""
from server.app.error_envelope import build_error_envelope
from server.app.validation import validate_input_payload, validate_plugin_output


def _envelope_for(exc, plugin_name):
    envelope = build_error_envelope(exc, plugin_name)
    return envelope


class ToolRunner:
    def __init__(self, registry, retries=3):
        self._registry = registry
        self._retries = retries

    def _error(self, exc, plugin_name):
        return _envelope_for(exc, plugin_name)

    def run(self, plugin_name, payload):
        last_error = None
        for attempt in range(self._retries):
            try:
                validate_input_payload(payload)
                plugin = self._registry.get(plugin_name)
                return validate_plugin_output(plugin.run(payload))
            except TimeoutError as exc:
                last_error = exc
                continue
            except LookupError as exc:
                return self._error(exc, plugin_name)
            except Exception as exc:
                last_error = exc
            finally:
                self._registry.update_execution_metrics(plugin_name, attempt=attempt)
        return build_error_envelope(last_error or RuntimeError("no attempt"), plugin_name)
