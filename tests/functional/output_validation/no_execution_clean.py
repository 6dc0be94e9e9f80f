# phase12-path: server/app/services/tool_runner.py
"""A runner that hands execution to a private helper: without an execution in the method,
there is no output to validate there, and the section 3 rules stay silent."""
from server.app.error_envelope import build_error_envelope
from server.app.validation import validate_input_payload


class ToolRunner:
    def __init__(self, registry, executor):
        self._registry = registry
        self._executor = executor

    def run(self, plugin_name, payload):
        try:
            validate_input_payload(payload)
            return self._executor.submit_job(plugin_name, payload)
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name)
