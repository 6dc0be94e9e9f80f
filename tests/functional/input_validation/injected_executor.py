# phase12-path: server/app/services/tool_runner.py
"""A runner whose plugins are executed by a callable the constructor was given."""
from server.app.error_envelope import build_error_envelope
from server.app.plugins.base import Plugin
from server.app.validation import validate_input_payload, validate_plugin_output


class ToolRunner:
    def __init__(self, registry, execute):
        self._registry = registry
        self._execute = execute

    def run(self, plugin_name, payload):
        try:
            plugin = self._registry.get(plugin_name)  # expect: GOV201
            produced = self._execute(plugin, payload)
            return validate_plugin_output(produced)
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name)

    def run_checked(self, plugin_name, payload):
        try:
            chosen: Plugin = self._registry.pick(plugin_name)  # expect: GOV202
            produced = self._execute(chosen, payload)
            validate_input_payload(payload)
            return validate_plugin_output(produced)
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name)
