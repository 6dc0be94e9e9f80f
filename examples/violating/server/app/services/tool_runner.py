"""The ToolRunner: runs plugins with input validation, output validation, error envelopes and
registry metrics (Phase 12, migration in progress)."""

from __future__ import annotations

import logging
import time
from typing import Any

from server.app.error_envelope import build_error_envelope
from server.app.plugin_registry import PluginRegistry
from server.app.validation import validate_input_payload, validate_plugin_output

logger = logging.getLogger(__name__)


class PluginExecutionError(RuntimeError):
    """A plugin failed while processing a batch."""

    def __init__(self, plugin_name: str, message: str) -> None:
        super().__init__(f"{plugin_name}: {message}")
        self.plugin_name = plugin_name


def _elapsed_ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000.0


class ToolRunner:
    def __init__(self, registry: PluginRegistry) -> None:
        self._registry = registry

    def run(self, plugin_name: str, payload: Any) -> dict[str, Any]:
        """The plugin's validated output, or an error envelope (see `error_envelope`)."""
        started = time.perf_counter()
        logger.debug("running %s with options %s", plugin_name, sorted(payload.get("options") or {}))  # VIOLATION: §4 statement that can raise (AttributeError on a non-dict payload) outside the try
        plugin = self._registry.get(plugin_name)  # VIOLATION: §2 plugin lookup before validate_input_payload (and outside the try: PluginNotFoundError escapes)
        try:
            validate_input_payload(payload)
            raw_output = plugin.run(payload)
            self._registry.update_execution_metrics(plugin_name, success=True, duration_ms=_elapsed_ms(started))  # VIOLATION: §5 metrics updated in the try body, not in finally: failures are never recorded
        except ValueError as exc:  # VIOLATION: §4 narrow handler: every exception but ValueError escapes raw
            return build_error_envelope(exc, plugin_name)
        except TimeoutError:
            logger.warning("plugin %s timed out", plugin_name)
            raise  # VIOLATION: §4 re-raises a raw exception out of the runner
        return validate_plugin_output(raw_output)  # VIOLATION: §3 output validated outside the try: a bad output raises instead of becoming an envelope

    def run_batch(self, plugin_name: str, payloads: list[Any]) -> list[dict[str, Any]]:
        """Run one plugin over several payloads, e.g. the frames of a clip."""
        outputs = []
        for payload in payloads:
            started = time.perf_counter()
            success = False
            try:
                if not payload.get("trusted"):
                    validate_input_payload(payload)  # VIOLATION: §2 input validated on one branch only: "trusted" payloads reach the plugin unchecked
                plugin = self._registry.get(plugin_name)
                raw_output = plugin.run(payload)
                validate_plugin_output(payload)  # VIOLATION: §3 output validator called on the input payload instead of raw_output
                outputs.append(raw_output)
                success = True
            except Exception as exc:
                raise PluginExecutionError(plugin_name, str(exc)) from exc  # VIOLATION: §4 raises from the handler instead of returning build_error_envelope(exc, plugin_name)
            finally:
                if success:  # VIOLATION: §5 metrics update under an `if` in finally: failed executions are never recorded
                    self._registry.update_execution_metrics(plugin_name, success=success, duration_ms=_elapsed_ms(started))
        return outputs
