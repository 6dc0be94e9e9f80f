# phase12-path: server/app/services/tool_runner.py
"""Batch runners that look like the clean one but lose the error: the envelope goes to a
list nobody returns, or the list gets a string instead of an envelope."""
from server.app.error_envelope import build_error_envelope
from server.app.validation import validate_input_payload, validate_plugin_output


class ToolRunner:
    def __init__(self, registry):
        self._registry = registry
        self._errors = []

    def run(self, plugin_name, payload):
        try:
            validate_input_payload(payload)
            plugin = self._registry.get(plugin_name)
            return validate_plugin_output(plugin.run(payload))
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name)

    def run_batch(self, jobs):
        results = []
        for plugin_name, payload in jobs:
            try:
                validate_input_payload(payload)
                plugin = self._registry.get(plugin_name)
                results.append(validate_plugin_output(plugin.run(payload)))
            except Exception as exc:  # expect: GOV407
                errors = []
                errors.append(build_error_envelope(exc, plugin_name))
            finally:
                self._registry.update_execution_metrics(plugin_name)
        return results

    def run_all(self, jobs):
        results = []
        for plugin_name, payload in jobs:
            try:
                validate_input_payload(payload)
                plugin = self._registry.get(plugin_name)
                results.append(validate_plugin_output(plugin.run(payload)))
            except Exception as exc:  # expect: GOV407
                results.append(str(exc))
            finally:
                self._registry.update_execution_metrics(plugin_name)
        return results
