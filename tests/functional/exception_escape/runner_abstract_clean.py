# phase12-path: server/app/services/tool_runner.py
"""An abstract runner and an unimplemented one: declarations, not implementations. The
`raise NotImplementedError` is no exception escaping a runner that executes plugins."""

import abc
from typing import Any


class ToolRunner(abc.ABC):
    @abc.abstractmethod
    def run(self, plugin_name: str, args: dict[str, Any]) -> dict[str, Any]:
        """Execute one plugin and return its result or an error envelope."""
