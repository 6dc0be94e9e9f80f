# phase12-path: server/app/services/tool_runner.py
"""The runner declared as a Protocol: an interface, not the runner. Nothing here executes a
plugin, so no rule of sections 2-5 applies (the implementation lives elsewhere)."""

from typing import Any, Protocol


class ToolRunner(Protocol):
    def run(self, plugin_name: str, args: dict[str, Any]) -> dict[str, Any]:
        """Execute one plugin and return its result or an error envelope."""
        ...
