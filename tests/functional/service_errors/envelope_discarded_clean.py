# phase12-path: server/app/services/plugin_management_service.py
"""A plugin-management service that passes the runner's envelope on, retries, records it, and
raises only for its own lookups."""
from server.app.error_envelope import build_error_envelope
from server.app.results import Answer


class PluginManagementService:
    def __init__(self, runner, catalog):
        self._runner = runner
        self._catalog = catalog

    def execute_plugin(self, plugin_name, payload):
        answer, problem = self._runner.run(plugin_name, payload)
        if problem is not None and problem["error"]["type"] == "Timeout":
            return self._runner.run(plugin_name, payload)
        if problem is not None:
            self._catalog.note_failure(plugin_name, problem["error"]["type"])
            return None, problem
        return Answer(rows=answer["rows"], note=None), None

    def execute_as_dict(self, plugin_name, payload):
        response = self._runner.run(plugin_name, payload)
        if "error" in response:
            return {**response, "retryable": False}
        return {"result": response, "error": None}

    def execute_guarded(self, plugin_name, payload):
        try:
            return self._runner.run(plugin_name, payload)
        except TimeoutError as exc:
            return build_error_envelope(exc, plugin_name)

    def describe(self, plugin_name):
        card = self._catalog.card(plugin_name)
        if card is None:
            raise KeyError(plugin_name)
        return {"plugin": plugin_name, "error": None, **card}
