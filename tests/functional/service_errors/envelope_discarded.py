# phase12-path: server/app/services/plugin_management_service.py
"""A plugin-management service that does not pass the runner's envelope on as it is."""
from server.app.errors import UpstreamFailure
from server.app.results import Answer


class PluginManagementService:
    def __init__(self, runner):
        self._runner = runner

    def execute_plugin(self, plugin_name, payload):
        answer, problem = self._runner.run(plugin_name, payload)
        if problem is not None:
            raise UpstreamFailure(problem["error"]["message"])  # expect: GOV409
        return answer, problem

    def execute_quietly(self, plugin_name, payload):
        answer, problem = self._runner.run(plugin_name, payload)
        if problem and problem["error"]["type"] == "OutputRejected":
            return Answer(rows=[], note=None), None  # expect: GOV409
        return answer, problem

    def execute_as_dict(self, plugin_name, payload):
        response = self._runner.run(plugin_name, payload)
        if "error" not in response:
            return response
        elif response["error"]["type"] == "Timeout":
            return {}  # expect: GOV409
        return response

    def execute_guarded(self, plugin_name, payload):
        try:
            return self._runner.run(plugin_name, payload)
        except TimeoutError as exc:
            return {"error": {"type": "TimeoutError", "message": str(exc)}}  # expect: GOV409
