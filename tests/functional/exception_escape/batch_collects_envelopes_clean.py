# phase12-path: server/app/services/tool_runner.py
"""A batch runner: each plugin's result or error envelope joins the list the method returns.
No exception escapes and none is swallowed."""
import time

from server.app.error_envelope import build_error_envelope
from server.app.validation import validate_input_payload, validate_plugin_output


class ToolRunner:
    def __init__(self, registry):
        self._registry = registry

    def run(self, plugin_name, payload):
        start = time.monotonic()
        success = False
        try:
            validate_input_payload(payload)
            plugin = self._registry.get(plugin_name)
            result = validate_plugin_output(plugin.run(payload))
            success = True
            return result
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name, success, time.monotonic() - start)

    def run_batch(self, jobs):
        results = []
        for plugin_name, payload in jobs:
            start = time.monotonic()
            success = False
            try:
                validate_input_payload(payload)
                plugin = self._registry.get(plugin_name)
                results.append(validate_plugin_output(plugin.run(payload)))
                success = True
            except Exception as exc:
                results.append(build_error_envelope(exc, plugin_name))
            finally:
                self._registry.update_execution_metrics(plugin_name, success,
                                                        time.monotonic() - start)
        return results
