# phase12-path: server/app/services/tool_runner.py
"""A runner whose execution method is not written yet: its body only raises
NotImplementedError, so there is no execution to record metrics for."""

from typing import Any


class ToolRunner:
    def run(self, plugin_name: str, args: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError("the runner arrives in Phase 12")
