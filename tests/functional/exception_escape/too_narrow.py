# phase12-path: server/app/services/tool_runner.py
"""Handlers narrower than Exception around the lookup and the execution."""
from server.app.error_envelope import build_error_envelope
from server.app.plugins.base import PluginError
from server.app.validation import ValidationError, validate_input_payload, validate_plugin_output

LOOKUP_ERRORS = (KeyError, LookupError)


class ToolRunner:
    def __init__(self, registry):
        self._registry = registry

    def run(self, plugin_name, payload):
        try:
            validate_input_payload(payload)
        except ValidationError as exc:
            return build_error_envelope(exc, plugin_name)
        try:
            plugin = self._registry.get(plugin_name)
        except LOOKUP_ERRORS as exc:  # expect: GOV402
            return build_error_envelope(exc, plugin_name)
        try:
            try:
                raw_output = plugin.run(payload)
            except TypeError:
                raw_output = plugin.run(dict(payload))
            return validate_plugin_output(raw_output)
        except (ValueError, ValidationError) as exc:  # expect: GOV402
            return build_error_envelope(exc, plugin_name)
        except PluginError as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name)
