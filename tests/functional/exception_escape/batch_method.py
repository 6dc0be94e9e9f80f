# phase12-path: server/app/services/tool_runner.py
"""Another public way into the runner that executes plugins is held to the same rules."""
from server.app.error_envelope import build_error_envelope
from server.app.validation import validate_input_payload, validate_plugin_output


class BatchError(Exception):
    pass


class ToolRunner:
    def __init__(self, registry):
        self._registry = registry

    def run(self, plugin_name, payload):
        try:
            validate_input_payload(payload)
            return validate_plugin_output(self._invoke(self._registry.get(plugin_name), payload))
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name)

    def run_batch(self, plugin_name, payloads):
        outputs = []
        for payload in payloads:
            try:
                validate_input_payload(payload)
                plugin = self._registry.get(plugin_name)
                outputs.append(validate_plugin_output(plugin.run(payload)))
            except Exception as exc:
                raise BatchError(plugin_name) from exc  # expect: GOV403
            finally:
                self._registry.update_execution_metrics(plugin_name)
        return outputs

    def _invoke(self, plugin, payload):
        """A private helper: its caller's try guards it."""
        return plugin.run(payload)
