# phase12-path: server/app/services/tool_runner.py
"""The input validator given a changed copy of the request."""
from server.app.error_envelope import build_error_envelope
from server.app.requests import Upload
from server.app.validation import validate_input_payload, validate_plugin_output


class ToolRunner:
    def __init__(self, registry):
        self._registry = registry

    def run(self, plugin_name, payload):
        try:
            validate_input_payload(payload or {})  # expect: GOV204
            plugin = self._registry.get(plugin_name)
            return validate_plugin_output(plugin.run(payload))
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name)

    def run_upload(self, plugin_name, upload):
        try:
            patched = Upload(upload.body, upload.content_type or "image/png", upload.name)
            validate_input_payload(patched)  # expect: GOV204
            plugin = self._registry.get(plugin_name)
            return validate_plugin_output(plugin.run(upload))
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name)

    def run_copied(self, plugin_name, payload):
        try:
            validate_input_payload(dict(payload))  # expect: GOV204
            plugin = self._registry.get(plugin_name)
            return validate_plugin_output(plugin.run(payload))
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name)
