# phase12-path: server/app/services/tool_runner.py
"""Result records and injected callables that do not make a runner safe."""
from server.app.error_envelope import build_error_envelope
from server.app.results import RunResult
from server.app.validation import validate_input_payload, validate_plugin_output


class ToolRunner:
    def __init__(self, registry, *, before_run=None, render=None):
        self._registry = registry
        self._before_run = before_run
        self._render = render

    def run(self, plugin_name, payload):
        self._before_run()  # expect: GOV405
        try:
            validate_input_payload(payload)
            plugin = self._registry.get(plugin_name)
            output = validate_plugin_output(plugin.run(payload))
        except Exception as exc:
            build_error_envelope(exc, plugin_name)
            return RunResult(output=None, error=None)  # expect: GOV406
        finally:
            self._registry.update_execution_metrics(plugin_name)
        return RunResult(output=self._render(output), error=None)  # expect: GOV405
