# phase12-path: src/engine/tool_service.py
"""The runner is a plain function injected as a callable: `self._execute(name, payload)`."""
from collections.abc import Callable

from engine.executor import execute_tool


class ToolService:
    def __init__(self, execute: Callable[[str, dict], dict] = execute_tool) -> None:
        self._execute = execute

    def invoke(self, tool_name: str, payload: dict) -> dict:
        return self._execute(tool_name, payload)

    def run(self, tool_name: str, payload: dict) -> dict:
        return self.invoke(tool_name, payload)
