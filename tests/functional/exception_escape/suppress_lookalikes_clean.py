# phase12-path: server/app/services/tool_runner.py
"""`suppress` that cannot swallow a plugin failure: a narrow exception, or best-effort work
that holds no lookup, validation or execution."""
import contextlib
import time

from server.app.error_envelope import build_error_envelope
from server.app.validation import validate_input_payload, validate_plugin_output


class ToolRunner:
    def __init__(self, registry, cache):
        self._registry = registry
        self._cache = cache

    def run(self, plugin_name, payload):
        started = time.perf_counter()
        success = False
        try:
            validate_input_payload(payload)
            plugin = self._registry.get(plugin_name)
            with contextlib.suppress(KeyError):
                self._cache.pop(plugin_name)
            output = validate_plugin_output(plugin.run(payload))
            with contextlib.suppress(Exception):
                self._cache.store(plugin_name, output)
            success = True
            return output
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            with contextlib.suppress(Exception):
                self._cache.flush()
            self._registry.update_execution_metrics(plugin_name, success=success,
                                                    duration_ms=time.perf_counter() - started)
