# phase12-path: server/app/services/tool_runner.py
"""An async runner: awaits inside the try are guarded like calls."""
import asyncio
import time

from server.app.error_envelope import build_error_envelope
from server.app.validation import validate_input_payload, validate_plugin_output


class ToolRunner:
    def __init__(self, registry, timeout_s=30.0):
        self._registry = registry
        self._timeout_s = timeout_s

    async def run(self, plugin_name, payload):
        started = time.monotonic()
        try:
            validate_input_payload(payload)
            plugin = self._registry.get(plugin_name)
            async with asyncio.timeout(self._timeout_s):
                raw_output = await plugin.run(payload)
            return validate_plugin_output(raw_output)
        except BaseException as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            await self._registry.update_execution_metrics(plugin_name, time.monotonic() - started)
