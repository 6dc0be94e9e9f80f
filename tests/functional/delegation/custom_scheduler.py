# phase12-path: src/engine/scheduler.py
"""A scheduler that calls the executor itself and one entry that never delegates."""
from engine.executor import execute_tool  # expect: GOV604


class Scheduler:
    def __init__(self, tools, execute):
        self._tools = tools
        self._execute = execute  # expect: GOV604

    def schedule(self, tool_name, payload):  # expect: GOV603
        return self._tools.describe(tool_name)

    def schedule_now(self, tool_name, payload):
        return execute_tool(tool_name, payload)  # expect: GOV604

    def schedule_soon(self, tool_name, payload):
        return self._execute(tool_name, payload)  # expect: GOV604
