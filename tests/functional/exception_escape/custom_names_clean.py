# phase12-path: app/execution/executor.py
"""The same custom names, used the way section 4 asks."""
from app.errors import make_error_response
from app.validation import check_request, validate_plugin_output


class Executor:
    def __init__(self, tools):
        self._tools = tools

    async def execute(self, tool_name, request):
        try:
            check_request(request)
            tool = self._tools.lookup(tool_name)
            return validate_plugin_output(await tool.run_tool(request))
        except Exception as exc:
            return make_error_response(exc, tool_name)
        finally:
            self._tools.update_execution_metrics(tool_name)
