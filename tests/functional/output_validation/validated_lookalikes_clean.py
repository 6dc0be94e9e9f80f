# phase12-path: server/app/services/tool_runner.py
"""Output validation after the execution, inside the try, on the value it returned."""
import asyncio

from server.app.error_envelope import build_error_envelope
from server.app.validation import validate_input_payload, validate_plugin_output


class ToolRunner:
    def __init__(self, registry):
        self._registry = registry

    async def run(self, plugin_name, payload):
        success = False
        try:
            validate_input_payload(payload)
            plugin = self._registry.get(plugin_name)
            output = validate_plugin_output(await asyncio.wait_for(plugin.run(payload), timeout=5))
            success = True
            return output
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name, success=success)

    def run_derived(self, plugin_name, payload):
        try:
            validate_input_payload(payload)
            plugin = self._registry.get(plugin_name)
            response = plugin.run(payload)
            body = response["body"]
            return self._check_output(body, plugin_name)
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name)

    def _check_output(self, body, plugin_name):
        return validate_plugin_output(body, plugin=plugin_name)

    def run_nested(self, plugin_name, payload):
        try:
            validate_input_payload(payload)
            plugin = self._registry.get(plugin_name)
            try:
                raw = plugin.run(payload)
            finally:
                self._registry.update_execution_metrics(plugin_name)
            return validate_plugin_output(output=raw)
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)

    def run_in_a_loop(self, plugin_name, payloads):
        results = []
        try:
            for payload in payloads:
                validate_input_payload(payload)
                plugin = self._registry.get(plugin_name)
                results.append(validate_plugin_output(plugin.run(payload)))
            return results
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name)
