# phase12-path: server/app/services/tool_runner.py
"""A runner that answers with a result record, reads a clock it was given and brackets each
execution with the registry's metrics context: nothing here can raise out of it."""
import time

from server.app.error_envelope import build_error_envelope
from server.app.results import RunResult
from server.app.validation import validate_input_payload, validate_plugin_output


class ToolRunner:
    def __init__(self, registry, *, now=time.monotonic):
        self._registry = registry
        self._now = now

    async def run(self, plugin_name, payload):
        began = self._now()
        async with self._registry.update_execution_metrics(plugin_name) as attempt:
            try:
                validate_input_payload(payload)
                plugin = self._registry.get(plugin_name)
                output = validate_plugin_output(await plugin.run(payload))
            except Exception as exc:
                envelope = build_error_envelope(exc, plugin_name)
                return RunResult(output=None, error=envelope.model_dump(), started=began)
            attempt.mark_success()
            return RunResult(output=output, error=None, started=began)
