# phase12-path: server/app/services/tool_runner.py
"""Handlers that raise again: a sibling handler does not catch what another one raises."""
import logging

from server.app.error_envelope import build_error_envelope
from server.app.validation import ValidationError, validate_input_payload, validate_plugin_output

logger = logging.getLogger(__name__)


class PluginOutputError(Exception):
    pass


class ToolRunner:
    def __init__(self, registry):
        self._registry = registry

    def run(self, plugin_name, payload):
        try:
            validate_input_payload(payload)
            plugin = self._registry.get(plugin_name)
            output = validate_plugin_output(plugin.run(payload))
        except ValidationError as exc:
            raise PluginOutputError(plugin_name) from exc  # expect: GOV403
        except KeyError:
            raise  # expect: GOV403
        except Exception as exc:
            logger.exception("plugin %s failed", plugin_name)
            if isinstance(exc, MemoryError):
                raise exc  # expect: GOV403
            try:
                raise PluginOutputError(plugin_name) from exc
            except Exception as wrapped:
                return build_error_envelope(wrapped, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name)
        return output
