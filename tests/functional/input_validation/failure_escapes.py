# phase12-path: server/app/services/tool_runner.py
"""Validator calls whose failure cannot become an error envelope."""
import logging

from server.app.error_envelope import build_error_envelope
from server.app.validation import validate_input_payload, validate_plugin_output

logger = logging.getLogger(__name__)


class ToolRunner:
    def __init__(self, registry):
        self._registry = registry

    def run(self, plugin_name, payload):
        validate_input_payload(payload)  # expect: GOV203
        success = False
        try:
            plugin = self._registry.get(plugin_name)
            output = validate_plugin_output(plugin.run(payload))
            success = True
            return output
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name, success=success)

    def run_raising_on_error(self, plugin_name, payload):
        error = validate_input_payload(payload)  # expect: GOV203
        if error:
            return {"error": error}  # a hand-made dict, not the envelope
        try:
            plugin = self._registry.get(plugin_name)
            return validate_plugin_output(plugin.run(payload))
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name)

    def run_in_finally_only_try(self, plugin_name, payload):
        try:
            validate_input_payload(payload)  # expect: GOV203
        finally:
            logger.debug("validated input for %s", plugin_name)
        try:
            plugin = self._registry.get(plugin_name)
            return validate_plugin_output(plugin.run(payload))
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name)
