# phase12-path: server/app/services/tool_runner.py
"""A coroutine runner that times the execution with the running loop's clock, read outside the
`try` before and after it: a clock reading cannot raise out of the runner."""
import asyncio

from server.app.error_envelope import build_error_envelope
from server.app.validation import validate_input_payload, validate_plugin_output


class ToolRunner:
    def __init__(self, registry):
        self._registry = registry

    async def run(self, plugin_name, payload):
        began = asyncio.get_running_loop().time()
        try:
            validate_input_payload(payload)
            plugin = self._registry.get(plugin_name)
            output = validate_plugin_output(await plugin.run(payload))
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            elapsed = asyncio.get_running_loop().time() - began
            self._registry.update_execution_metrics(plugin_name, elapsed_s=elapsed)
        return output
