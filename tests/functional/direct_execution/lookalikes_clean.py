# phase12-path: server/app/services/plugin_management_service.py
"""Lookalikes that are not plugin executions: plugin.run(payload) in a docstring is fine."""
import asyncio
import inspect
import subprocess
import threading

import uvicorn


class Worker(threading.Thread):
    def start_now(self):
        self.run()


class PluginManagementService:
    """Calls `plugin.run(payload)` only through self._runner.run(...)."""

    def __init__(self, runner, registry):
        self._runner = runner
        self._registry = registry
        self.plugin_manager = None

    def execute_plugin(self, name, payload):
        # plugin.run(payload) is what the runner does for us.
        message = "never call plugin.run( directly"
        subprocess.run(["true"], check=False)
        worker = Worker()
        worker.run()
        self.plugin_manager.run()
        self.run()
        return self._runner.run(name, payload), message

    def describe(self, plugin):
        signature = inspect.signature(plugin.run)
        return callable(plugin.run), hasattr(plugin, "run"), signature

    def patch(self, plugin, replacement):
        plugin.run = replacement

    def run(self):
        return None


def main():
    asyncio.run(asyncio.sleep(0))
    uvicorn.run("server.app:app")
