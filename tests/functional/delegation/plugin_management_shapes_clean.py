# phase12-path: server/app/services/plugin_management_service.py
"""Entry methods that reach the runner in less obvious ways, or whose path the file cannot show."""
import abc
from concurrent.futures import ThreadPoolExecutor

from server.app.services.base import ServiceBase


def run_with_timeout(runner, plugin_name, payload, timeout=5.0):
    return runner.run(plugin_name, payload)


class PluginManagementService(ServiceBase):
    def __init__(self, runner, registry):
        self._runner = runner
        self._registry = registry
        self._pool = ThreadPoolExecutor(max_workers=2)

    def execute_plugin(self, plugin_name, payload):
        """Through a private helper that calls the runner through a local alias."""
        return self._execute(plugin_name, payload)

    def _execute(self, plugin_name, payload):
        runner = self._runner
        return runner.run(plugin_name, payload)

    def execute_submitted(self, plugin_name, payload):
        return self._pool.submit(self._execute, plugin_name, payload).result()

    def execute_with_timeout(self, plugin_name, payload):
        return run_with_timeout(self._runner, plugin_name, payload)

    def execute_nested(self, plugin_name, payload):
        def call():
            return self._runner.run(plugin_name, payload)
        return self._pool.submit(call).result()

    async def execute_awaited(self, plugin_name, payload):
        return await self._runner.run(plugin_name, payload)

    def execute_inherited(self, plugin_name, payload):
        return self._dispatch(plugin_name, payload)

    def execute_parent(self, plugin_name, payload):
        return super().execute_parent(plugin_name, payload)

    def execute_hooked(self, plugin_name, payload):
        return dispatch_to_runner(self, plugin_name, payload)

    @abc.abstractmethod
    def execute_abstract(self, plugin_name, payload):
        """Subclasses decide."""

    def execute_later(self, plugin_name, payload):
        raise NotImplementedError("execute_later is not supported yet")
