# phase12-path: server/app/services/tool_runner.py
"""Lookups and executions that some path reaches before the input is validated."""
import contextlib

from server.app.error_envelope import build_error_envelope
from server.app.validation import validate_input_payload, validate_plugin_output


class ToolRunner:
    def __init__(self, registry):
        self._registry = registry
        self._plugins = {}

    def run(self, plugin_name, payload):
        try:
            plugin = self._registry.get(plugin_name)  # expect: GOV202
            validate_input_payload(payload)
            return validate_plugin_output(plugin.run(payload))
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name)

    def run_trusted(self, plugin_name, payload):
        try:
            if not payload.get("trusted"):
                validate_input_payload(payload)  # expect: GOV202
            plugin = self._registry.get(plugin_name)
            return validate_plugin_output(plugin.run(payload))
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name)

    def run_swallowing(self, plugin_name, payload):
        try:
            validate_input_payload(payload)  # expect: GOV202
        except ValueError:
            pass
        try:
            plugin = self._registry.get(plugin_name)
            return validate_plugin_output(plugin.run(payload))
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name)

    def run_suppressed(self, plugin_name, payload):
        try:
            with contextlib.suppress(ValueError):
                validate_input_payload(payload)  # expect: GOV202
            return validate_plugin_output(self._plugins[plugin_name].run(payload))
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name)

    def run_subscript_first(self, plugin_name, payload):
        try:
            output = self._plugins[plugin_name].run(payload)  # expect: GOV202
            validate_input_payload(payload)
            return validate_plugin_output(output)
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name)

    def run_batch(self, plugin_name, payloads):
        try:
            for payload in payloads:
                validate_input_payload(payload)  # expect: GOV202
            plugin = self._registry.get(plugin_name)
            return [validate_plugin_output(plugin.run(payload)) for payload in payloads]
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name)
