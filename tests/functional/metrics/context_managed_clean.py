# phase12-path: server/app/services/tool_runner.py
"""The metrics update as a context manager around the execution: its exit records every
execution, success or failure, as a `finally` would."""
from server.app.error_envelope import build_error_envelope
from server.app.validation import validate_input_payload, validate_plugin_output


class ToolRunner:
    def __init__(self, registry):
        self._registry = registry

    def run(self, plugin_name, payload):
        with self._registry.update_execution_metrics(plugin_name) as outcome:
            try:
                validate_input_payload(payload)
                plugin = self._registry.get(plugin_name)
                output = validate_plugin_output(plugin.run(payload))
                outcome.success = True
                return output
            except Exception as exc:
                return build_error_envelope(exc, plugin_name)

    async def run_async(self, plugin_name, payload):
        async with self._registry.update_execution_metrics(plugin_name), self._lock:
            try:
                validate_input_payload(payload)
                plugin = self._registry.get(plugin_name)
                return validate_plugin_output(await plugin.run(payload))
            except Exception as exc:
                return build_error_envelope(exc, plugin_name)
