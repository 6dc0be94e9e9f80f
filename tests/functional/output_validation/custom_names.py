# phase12-path: src/analysis/execution/executor.py
"""Custom names: `check_result` is the output validator, tools `invoke`."""
from analysis.errors import make_error
from analysis.checks import check_request, check_result


class Executor:
    def __init__(self, tools):
        self._tools = tools

    def execute(self, tool_name, request):
        try:
            check_request(request)
            tool = self._tools.find_tool(tool_name)
            result = tool.invoke(request)
        except Exception as exc:
            return make_error(exc, tool_name)
        finally:
            self._tools.record_run(tool_name)
        return check_result(result)  # expect: GOV303

    def execute_unchecked(self, tool_name, request):
        try:
            check_request(request)
            tool = self._tools.find_tool(tool_name)
            return tool.invoke(request)  # expect: GOV301
        except Exception as exc:
            return make_error(exc, tool_name)
        finally:
            self._tools.record_run(tool_name)
