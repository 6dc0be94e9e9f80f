# phase12-path: server/app/services/tool_runner.py
"""Lifecycle states the registry does not know."""
from server.app.error_envelope import build_error_envelope
from server.app.plugin_registry import PluginState
from server.app.validation import validate_input_payload, validate_plugin_output


class ToolRunner:
    def __init__(self, registry):
        self._registry = registry

    def run(self, plugin_name, payload):
        state = PluginState.FAILED  # expect: GOV504
        try:
            validate_input_payload(payload)
            plugin = self._registry.get(plugin_name)
            output = validate_plugin_output(plugin.run(payload))
            state = PluginState.SUCCESS
            return output
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name, state=state)

    def run_literals(self, plugin_name, payload, ok):
        try:
            validate_input_payload(payload)
            plugin = self._registry.get(plugin_name)
            return validate_plugin_output(plugin.run(payload))
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(
                plugin_name,
                "DONE" if ok else "ERROR",  # expect: GOV504
                status="finished",  # expect: GOV504
            )
