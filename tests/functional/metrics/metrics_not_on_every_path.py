# phase12-path: server/app/services/tool_runner.py
"""Metrics updates in `finally` that some path skips."""
from server.app.error_envelope import build_error_envelope
from server.app.validation import validate_input_payload, validate_plugin_output


class ToolRunner:
    def __init__(self, registry):
        self._registry = registry

    def run(self, plugin_name, payload):
        success = False
        try:
            validate_input_payload(payload)
            plugin = self._registry.get(plugin_name)
            output = validate_plugin_output(plugin.run(payload))
            success = True
            return output
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            if success:  # expect: GOV503
                self._registry.update_execution_metrics(plugin_name, success=success)

    def run_early_return(self, plugin_name, payload, dry_run):
        try:
            validate_input_payload(payload)
            plugin = self._registry.get(plugin_name)
            return validate_plugin_output(plugin.run(payload))
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            if dry_run:
                return None  # noqa: B012
            self._registry.update_execution_metrics(plugin_name)  # expect: GOV503

    def run_conditional_expression(self, plugin_name, payload, enabled):
        try:
            validate_input_payload(payload)
            plugin = self._registry.get(plugin_name)
            return validate_plugin_output(plugin.run(payload))
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            enabled and self._registry.update_execution_metrics(plugin_name)  # expect: GOV503

    def run_loop(self, plugin_names, payload):
        try:
            validate_input_payload(payload)
            plugin = self._registry.get(plugin_names[0])
            return validate_plugin_output(plugin.run(payload))
        except Exception as exc:
            return build_error_envelope(exc, plugin_names[0])
        finally:
            for name in plugin_names:  # expect: GOV503
                self._registry.update_execution_metrics(name, success=True)
