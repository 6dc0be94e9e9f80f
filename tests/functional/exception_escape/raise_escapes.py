# phase12-path: server/app/services/tool_runner.py
"""Raises and asserts that no `except Exception` of the method catches."""
from server.app.error_envelope import build_error_envelope
from server.app.plugins.base import PluginError
from server.app.validation import validate_input_payload, validate_plugin_output


class ToolRunner:
    def __init__(self, registry):
        self._registry = registry
        self._closed = False
        self._blocked = set()
        self._aliases = {}
        self._internal = set()

    def run(self, plugin_name, payload):
        assert payload is not None  # expect: GOV404
        if not plugin_name:
            raise ValueError("plugin_name is required")  # expect: GOV404
        try:
            if plugin_name in self._blocked:
                raise PermissionError(plugin_name)  # expect: GOV404
            if plugin_name in self._aliases:
                raise KeyError(plugin_name)
            if plugin_name in self._internal:
                raise PluginError(plugin_name)
        except LookupError as exc:
            return build_error_envelope(exc, plugin_name)
        try:
            validate_input_payload(payload)
            plugin = self._registry.get(plugin_name)
            try:
                output = validate_plugin_output(plugin.run(payload))
            except KeyError:
                raise
            if output is None:
                raise ValueError("no output")
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        else:
            if not isinstance(output, dict):
                raise TypeError("output must be a dict")  # expect: GOV404
            return output
        finally:
            self._registry.update_execution_metrics(plugin_name)
            if self._closed:
                raise RuntimeError("runner closed")  # expect: GOV404
