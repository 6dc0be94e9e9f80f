# phase12-path: server/app/services/plugin_management_service.py
"""Plugin management whose `_execute` is a runner role, with a second way in that is not."""
import time

from server.app.error_envelope import build_error_envelope
from server.app.plugin_registry import PluginRegistry, update_execution_metrics
from server.app.validation import validate_input_payload, validate_plugin_output


class PluginManagementService:
    def __init__(self, registry: PluginRegistry):
        self._registry = registry

    def execute_plugin(self, plugin_name, payload):
        return self._execute(plugin_name, payload)

    def execute_unchecked(self, plugin_name, payload):
        return self._registry.get(plugin_name).run(payload)  # expect: GOV101

    def _execute(self, plugin_name, payload):
        started = time.perf_counter()
        state = "ERROR"
        try:
            validate_input_payload(payload)
            plugin = self._registry.get(plugin_name)
            result = plugin.run(payload)  # expect: GOV301
            state = "SUCCESS"
            return result
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            update_execution_metrics(self._registry, plugin_name, state, time.perf_counter() - started)
