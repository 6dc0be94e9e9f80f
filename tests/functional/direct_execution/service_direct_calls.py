# phase12-path: server/app/services/plugin_management_service.py
"""Every way a service can execute a plugin without the runner."""
import asyncio
import functools
from concurrent.futures import ThreadPoolExecutor

from server.app.plugins.base import BasePlugin


class PluginManagementService:
    def __init__(self, registry, runner):
        self._registry = registry
        self._runner = runner
        self._plugins = {}
        self.plugin = None

    def execute_plugin(self, name, payload):
        plugin = self._registry.get(name)
        first = plugin.run(payload)  # expect: GOV101
        second = self.plugin.run(payload)  # expect: GOV101
        third = self._plugins[name].run(payload)  # expect: GOV101
        fourth = self._registry.get(name).run(payload)  # expect: GOV101
        return first, second, third, fourth

    def through_alias(self, name, payload):
        chosen = self._registry.get(name)
        alias = chosen
        return alias.run(payload)  # expect: GOV101

    def through_getattr(self, plugin, payload):
        return getattr(plugin, "run")(payload)  # expect: GOV101

    def as_bound_method(self, plugin, payload):
        with ThreadPoolExecutor() as pool:
            future = pool.submit(plugin.run, payload)  # expect: GOV101
        later = functools.partial(plugin.run, payload)  # expect: GOV101
        return future.result(), later

    async def awaited(self, plugin, payload):
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, plugin.run, payload)  # expect: GOV101
        return await plugin.run(payload)  # expect: GOV101

    def all_of_them(self, payload):
        results = []
        for each in self._plugins.values():
            results.append(each.run(payload))  # expect: GOV101
        for name, each in self._plugins.items():
            results.append((name, each.run(payload)))  # expect: GOV101
        return results

    def annotated(self, target: BasePlugin, payload):
        return target.run(payload)  # expect: GOV101

    def string_annotation(self, target: "BasePlugin | None", payload):
        return target.run(payload) if target else None  # expect: GOV101

    def split_over_lines(self, plugin, payload):
        result = (
            plugin  # expect: GOV101
            .run(payload)
        )
        return result, getattr(  # expect: GOV101
            plugin, "run")
