# phase12-path: src/analysis/execution/executor.py
"""The same codebase done right; `validate_input_payload` means nothing here."""
from analysis.errors import make_error
from analysis.checks import check_request, check_result


class Executor:
    def __init__(self, tools):
        self._tools = tools

    def execute(self, tool_name, request):
        try:
            check_request(request)
            tool = self._tools.find_tool(tool_name)
            return check_result(tool.invoke(request))
        except Exception as exc:
            return make_error(exc, tool_name)
        finally:
            self._tools.record_run(tool_name)
