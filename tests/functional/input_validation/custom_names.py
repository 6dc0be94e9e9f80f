# phase12-path: src/analysis/execution/executor.py
"""A codebase with its own names: `check_request`, `Executor.execute`, tools with `invoke`."""
from analysis.errors import make_error
from analysis.checks import check_request, check_result


class Executor:
    def __init__(self, tools):
        self._tools = tools

    def execute(self, tool_name, request):
        try:
            tool = self._tools.find_tool(tool_name)  # expect: GOV202
            check_request(request)
            return check_result(tool.invoke(request))
        except Exception as exc:
            return make_error(exc, tool_name)
        finally:
            self._tools.record_run(tool_name)

    def execute_unchecked(self, tool_name, request):
        try:
            tool = self._tools.find_tool(tool_name)  # expect: GOV201
            return check_result(tool.invoke(request))
        except Exception as exc:
            return make_error(exc, tool_name)
        finally:
            self._tools.record_run(tool_name)
