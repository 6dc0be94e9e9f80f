# phase12-path: server/app/plugin_registry/__init__.py
"""A registry package that re-exports the metrics function from a submodule."""
from server.app.plugin_registry.metrics import update_execution_metrics

__all__ = ["update_execution_metrics"]
