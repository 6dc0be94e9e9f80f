# phase12-path: server/app/services/tool_runner.py
"""The input validator sees the request as received: options beside it may have defaults, and
a request assembled from the runner's parameters without defaults is what arrived."""
from server.app.error_envelope import build_error_envelope
from server.app.limits import DEFAULT_LIMITS
from server.app.validation import validate_input_payload, validate_plugin_output


class ToolRunner:
    def __init__(self, registry):
        self._registry = registry

    def run(self, plugin_name, payload, limits=None):
        try:
            validate_input_payload(payload, limits or DEFAULT_LIMITS, strict=limits is None or True)
            plugin = self._registry.get(plugin_name)
            return validate_plugin_output(plugin.run(payload))
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name)

    def run_parts(self, plugin_name, image, mime):
        try:
            payload = {"image": image, "mime": mime}
            validate_input_payload(payload)
            plugin = self._registry.get(plugin_name)
            return validate_plugin_output(plugin.run(payload))
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name)

    def run_decoded(self, plugin_name, body):
        try:
            payload = self._decode(body)
            validate_input_payload(payload)
            plugin = self._registry.get(plugin_name)
            return validate_plugin_output(plugin.run(payload))
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name)

    def _decode(self, body):
        return self._registry.codec.decode(body)
