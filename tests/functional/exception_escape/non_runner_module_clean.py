# phase12-path: server/app/services/plugin_management_service.py
"""Every bad pattern of section 4, in a module that is not the runner: none is this rule's."""


class ToolRunner:
    """A same-named class outside the runner module is not the runner."""

    def run(self, plugin_name, payload):
        backend = self._backends.get(plugin_name)
        if backend is None:
            raise KeyError(plugin_name)
        try:
            return backend.process(payload)
        except ValueError:
            raise


class PluginManagementService:
    def execute_plugin(self, name, payload):
        try:
            return self._runner.run(name, payload)
        except Exception:
            return None  # not the envelope, but no rule of the runner judges it here
