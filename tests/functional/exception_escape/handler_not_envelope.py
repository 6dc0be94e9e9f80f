# phase12-path: server/app/services/tool_runner.py
"""Handlers that return something other than the structured error envelope."""
from server.app.error_envelope import build_error_envelope
from server.app.validation import ValidationError, validate_input_payload, validate_plugin_output


class ToolRunner:
    def __init__(self, registry):
        self._registry = registry
        self._debug = False

    def _describe(self, exc):
        return {"message": str(exc)}

    def run(self, plugin_name, payload):
        try:
            validate_input_payload(payload)
            plugin = self._registry.get(plugin_name)
            return validate_plugin_output(plugin.run(payload))
        except KeyError:
            return None  # expect: GOV406
        except ValidationError as exc:
            return {"error": str(exc)}  # expect: GOV406
        except TimeoutError:
            return  # expect: GOV406
        except ConnectionError as exc:
            return self._describe(exc)  # expect: GOV406
        except Exception as exc:
            envelope = build_error_envelope(exc, plugin_name)
            if self._debug:
                return str(exc)  # expect: GOV406
            return envelope
        finally:
            self._registry.update_execution_metrics(plugin_name)
