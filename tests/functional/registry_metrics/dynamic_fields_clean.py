# phase12-path: server/app/plugin_registry.py
"""Fields written through computed names: the rule cannot tell which, so it says nothing."""


class PluginRegistry:
    def __init__(self):
        self._records = {}

    def update_execution_metrics(self, plugin_name, **changes):
        record = self._records.get(plugin_name)
        if record is None:
            return
        for field, value in changes.items():
            setattr(record, field, value)
