# phase12-path: app/execution/executor.py
"""A codebase with its own names: `Executor.execute`, `check_request`, `make_error_response`."""
from app.errors import build_error_envelope, make_error_response
from app.validation import check_request, validate_plugin_output


class Executor:
    def __init__(self, tools):
        self._tools = tools

    def execute(self, tool_name, request):
        problem = check_request(request)
        if problem is not None:
            return make_error_response(problem, tool_name)
        tool = self._tools.lookup(tool_name)  # expect: GOV405
        try:
            return validate_plugin_output(tool.run_tool(request))
        except LookupError as exc:
            return make_error_response(exc, tool_name)
        except Exception as exc:
            return build_error_envelope(exc, tool_name)  # expect: GOV406
        finally:
            self._tools.update_execution_metrics(tool_name)


class ToolRunner:
    """The default names mean nothing here: not the configured runner."""

    def run(self, name, payload):
        return self._backends.get(name).process(payload)
