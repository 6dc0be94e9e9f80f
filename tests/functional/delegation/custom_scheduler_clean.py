# phase12-path: src/engine/scheduler.py
"""The scheduler delegates to the tool service's `invoke`, through `self._tools`."""
from engine.tool_service import ToolService


class Scheduler:
    def __init__(self, tools: ToolService) -> None:
        self._tools = tools
        self._runner = None

    def schedule(self, tool_name: str, payload: dict) -> dict:
        return self._tools.invoke(tool_name, payload)
