# phase12-path: server/app/services/tool_runner.py
"""An async runner whose handler only logs."""
import logging

from server.app.validation import validate_input_payload, validate_plugin_output

logger = logging.getLogger(__name__)


class ToolRunner:
    def __init__(self, registry):
        self._registry = registry

    async def run(self, plugin_name, payload):
        try:
            validate_input_payload(payload)
            plugin = self._registry.get(plugin_name)
            return validate_plugin_output(await plugin.run(payload))
        except Exception:  # expect: GOV407
            logger.exception("plugin %s failed", plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name)
