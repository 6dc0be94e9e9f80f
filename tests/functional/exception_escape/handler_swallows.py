# phase12-path: server/app/services/tool_runner.py
"""A broad handler with a branch that falls off its end; a best-effort try is fine."""
import logging

from server.app.error_envelope import build_error_envelope
from server.app.validation import validate_input_payload, validate_plugin_output

logger = logging.getLogger(__name__)


class ToolRunner:
    def __init__(self, registry, cache):
        self._registry = registry
        self._cache = cache

    def run(self, plugin_name, payload):
        output = None
        try:
            validate_input_payload(payload)
            plugin = self._registry.get(plugin_name)
            output = validate_plugin_output(plugin.run(payload))
        except BaseException as exc:  # expect: GOV407
            if isinstance(exc, KeyboardInterrupt):
                logger.warning("interrupted while running %s", plugin_name)
            else:
                return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name)
        try:
            self._cache.store(plugin_name, output)
        except Exception:
            logger.warning("result cache unavailable")
        return output
