# phase12-path: src/engine/tool_service.py
"""The same service with the runner held under another name, and an entry that skips it."""
from engine import sandbox
from engine.executor import execute_tool


class ToolService:
    def __init__(self, execute=execute_tool):
        self._execute = execute
        self._run_tool = execute_tool

    def invoke(self, tool_name, payload):  # expect: GOV601
        return sandbox.execute(tool_name, payload)

    def invoke_quietly(self, tool_name, payload):
        return self._run_tool(tool_name, payload)  # expect: GOV602
