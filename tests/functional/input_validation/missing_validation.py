# phase12-path: server/app/services/tool_runner.py
"""Runners that never validate their input on every path."""
from server.app.error_envelope import build_error_envelope
from server.app.validation import validate_input_payload, validate_plugin_output


class ToolRunner:
    def __init__(self, registry):
        self._registry = registry

    def run(self, plugin_name, payload):
        try:
            plugin = self._registry.get(plugin_name)  # expect: GOV201
            return validate_plugin_output(plugin.run(payload))
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name)

    def run_deferred(self, plugin_name, payload):
        # The validator only appears inside a lambda that nobody calls here.
        check = lambda: validate_input_payload(payload)  # noqa: E731
        try:
            plugin = self._registry.get(plugin_name)  # expect: GOV201
            return validate_plugin_output(plugin.run(payload)), check
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name)

    def run_sometimes(self, plugin_name, payload):
        # A helper that validates on some paths only does not count as validating.
        try:
            self._maybe_validate(payload)
            plugin = self._registry.get(plugin_name)  # expect: GOV201
            return validate_plugin_output(plugin.run(payload))
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name)

    def _maybe_validate(self, payload):
        if payload.get("strict"):
            validate_input_payload(payload)
