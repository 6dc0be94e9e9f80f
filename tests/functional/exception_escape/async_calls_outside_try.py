# phase12-path: server/app/services/tool_runner.py
"""An async runner that awaits outside its try."""
from server.app.error_envelope import build_error_envelope
from server.app.validation import validate_input_payload, validate_plugin_output


class ToolRunner:
    def __init__(self, registry, limits):
        self._registry = registry
        self._limits = limits
        self._ready = None

    async def run(self, plugin_name, payload):
        await self._ready  # expect: GOV405
        async with self._limits.slot(plugin_name):  # expect: GOV405
            try:
                validate_input_payload(payload)
                plugin = await self._registry.load(plugin_name)
                return validate_plugin_output(await plugin.run(payload))
            except Exception as exc:
                return build_error_envelope(exc, plugin_name)
            finally:
                await self._registry.update_execution_metrics(plugin_name)
        await self._limits.release(plugin_name)  # expect: GOV405
