# phase12-path: server/app/services/tool_runner.py
"""A registry with one method per outcome: the runner calls the one that matches, in its
`finally`, and section 5 has nothing to report. (GOV405, section 4, exempts only the configured
metrics function from "can raise", not its failure half: its finding below is not section 5's.)"""
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
            if ok:
                self._registry.record_success(plugin_name, elapsed)
            else:
                self._registry.record_failure(plugin_name, elapsed)  # expect: GOV405
