"""The one place where plugins run."""

from __future__ import annotations

import time
from typing import Any

from shop.error_envelope import build_error_envelope
from shop.plugin_registry import PluginRegistry
from shop.validation import validate_input_payload, validate_plugin_output


class ToolRunner:
    def __init__(self, registry: PluginRegistry) -> None:
        self._registry = registry

    def run(self, plugin_name: str, payload: Any) -> dict[str, Any]:
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
            elapsed = (time.perf_counter() - started) * 1000.0
            self._registry.update_execution_metrics(plugin_name, success=success, duration_ms=elapsed)
