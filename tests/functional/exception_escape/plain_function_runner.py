# phase12-path: src/app/execution/runner.py
"""A plain-function runner beside the class: both execution methods are checked."""
from app.errors import make_error_response
from app.validation import validate_input_payload, validate_plugin_output


class ToolRunner:
    def run(self, plugin_name, payload):
        try:
            validate_input_payload(payload)
            return validate_plugin_output(self._registry.get(plugin_name).run(payload))
        except Exception as exc:
            return make_error_response(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name)


def execute_plugin_safely(registry, plugin_name, payload):
    registry.touch(plugin_name)  # expect: GOV405
    try:
        validate_input_payload(payload)
        plugin = registry.get(plugin_name)
        return validate_plugin_output(plugin.run(payload))
    except Exception as exc:
        return {"error": repr(exc)}  # expect: GOV406
    finally:
        registry.update_execution_metrics(plugin_name)
