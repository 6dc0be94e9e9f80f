# phase12-path: server/app/wiring.py
"""A composition root whose runner closure looks the plugin up before validating the payload,
and which warms a plugin up itself: the closure is the runner, the rest of the module is not."""
import time

from server.app.error_envelope import build_error_envelope
from server.app.plugin_registry import PluginRegistry, update_execution_metrics
from server.app.services.plugin_management_service import PluginManagementService
from server.app.validation import validate_input_payload, validate_plugin_output


def build_services(registry: PluginRegistry) -> PluginManagementService:
    def execute(plugin_name, payload):
        started = time.perf_counter()
        state = "ERROR"
        try:
            plugin = registry.get(plugin_name)  # expect: GOV202
            validate_input_payload(payload)
            result = validate_plugin_output(plugin.run(payload))
            state = "SUCCESS"
            return result
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            update_execution_metrics(registry, plugin_name, state, time.perf_counter() - started)

    return PluginManagementService(runner=execute)


def warm_up(registry: PluginRegistry) -> dict:
    return registry.get("ocr").run({})  # expect: GOV101
