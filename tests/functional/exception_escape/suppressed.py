# phase12-path: server/app/services/tool_runner.py
"""`suppress(Exception)` around governed work swallows the error like `except Exception: pass`."""
import contextlib
from contextlib import suppress

from server.app.error_envelope import build_error_envelope
from server.app.validation import validate_input_payload, validate_plugin_output


class ToolRunner:
    def __init__(self, registry):
        self._registry = registry

    def run(self, plugin_name, payload):
        output = None
        try:
            validate_input_payload(payload)
            plugin = self._registry.get(plugin_name)
            with contextlib.suppress(Exception):  # expect: GOV407
                output = validate_plugin_output(plugin.run(payload))
            return output
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name, success=output is not None)

    async def run_async(self, plugin_name, payload):
        try:
            validate_input_payload(payload)
            async with self._lock, suppress(ValueError, BaseException):  # expect: GOV407
                plugin = self._registry.get(plugin_name)
                return validate_plugin_output(await plugin.run(payload))
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name)
