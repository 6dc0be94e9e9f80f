"""The ToolRunner: the only place where a plugin is executed (Phase 12).

Every execution goes through the same steps: validate the input, look the plugin up, run it,
validate its output, turn any failure into an error envelope, and record metrics in the
registry, whatever happened. Callers get either the validated output or an envelope, never an
exception.
"""

from __future__ import annotations

import time
from typing import Any

from server.app.error_envelope import build_error_envelope
from server.app.plugin_registry import PluginRegistry
from server.app.validation import validate_input_payload, validate_plugin_output


class ToolRunner:
    def __init__(self, registry: PluginRegistry) -> None:
        self._registry = registry

    def run(self, plugin_name: str, payload: Any) -> dict[str, Any]:
        """The plugin's validated output, or an error envelope (see `error_envelope`)."""
        started = time.perf_counter()
        success = False
        try:
            validate_input_payload(payload)
            plugin = self._registry.get(plugin_name)
            raw_output = plugin.run(payload)
            output = validate_plugin_output(raw_output)
            success = True
            return output
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            duration_ms = (time.perf_counter() - started) * 1000.0
            self._registry.update_execution_metrics(plugin_name, success=success,
                                                    duration_ms=duration_ms)
