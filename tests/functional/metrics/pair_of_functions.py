# phase12-path: server/app/services/tool_runner.py
"""A registry with one method per outcome, whose failure method the runner never calls."""
import time

from server.app.error_envelope import build_error_envelope
from server.app.validation import validate_input_payload, validate_plugin_output


class ToolRunner:
    def __init__(self, registry):
        self._registry = registry

    def run(self, plugin_name, payload):
        began = time.monotonic()
        ok = False
        try:
            validate_input_payload(payload)
            tool = self._registry.get(plugin_name)
            checked = validate_plugin_output(tool.run(payload))
            ok = True
            return checked
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            elapsed = time.monotonic() - began
            if ok:  # expect: GOV503
                self._registry.record_success(plugin_name, elapsed)
            else:
                skipped = plugin_name  # noqa: F841
