# phase12-path: server/app/services/tool_runner.py
"""A plain-function runner declared with `@overload` variants in a stub-like module: the
overloads declare signatures; the implementation is elsewhere."""

from typing import Any, overload


@overload
def execute_plugin_safely(plugin_name: str) -> dict[str, Any]: ...
@overload
def execute_plugin_safely(plugin_name: str, args: dict[str, Any]) -> dict[str, Any]: ...
def execute_plugin_safely(*arguments: Any) -> dict[str, Any]:
    pass
