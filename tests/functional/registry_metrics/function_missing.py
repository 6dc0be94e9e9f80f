# phase12-path: server/app/plugin_registry.py
"""A Phase 11 registry: plugins by name, no execution metrics."""


def build_default_registry():
    return PluginRegistry()


class PluginRegistry:  # expect: GOV505
    def __init__(self):
        self._plugins = {}

    def get(self, name):
        return self._plugins[name]
