# phase12-path: src/analysis/execution/executor.py
"""Custom names: `record_run` updates the metrics; states are OK and FAILED."""
from analysis.errors import make_error
from analysis.checks import check_request, check_result
from analysis.logs import log


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
            self._tools.record_run(tool_name, status="OK")
            self._tools.record_run(tool_name, status="SUCCESS")  # expect: GOV504

    def execute_unrecorded(self, tool_name, request):
        try:
            check_request(request)
            tool = self._tools.find_tool(tool_name)
            return check_result(tool.invoke(request))  # expect: GOV501
        except Exception as exc:
            return make_error(exc, tool_name)
        finally:
            log.info("ran %s", tool_name)  # `update_execution_metrics` is not this codebase's name
