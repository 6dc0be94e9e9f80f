"""Plugin management: which plugins exist, and executing them.

Since Phase 12, `execute_plugin` goes through the ToolRunner, which validates the payload and
the output and records metrics; a plain plugin.run(payload) does none of that.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from server.app.plugin_registry import PluginRegistry, default_registry
from server.app.services.tool_runner import ToolRunner

logger = logging.getLogger(__name__)

# A 1x1 grey PNG: what health checks and warm-ups send.
PROBE_PAYLOAD: dict[str, Any] = {
    "image": "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNoAAAAggCBd81ytgAAAABJRU5ErkJggg==",
    "mime_type": "image/png",
    "options": {"engine": "builtin"},
}


class PluginManagementService:
    def __init__(self, registry: PluginRegistry | None = None,
                 runner: ToolRunner | None = None, *, max_workers: int = 4) -> None:
        self._registry = registry if registry is not None else default_registry()
        self._runner = runner if runner is not None else ToolRunner(self._registry)
        # Plugins resolved once, so the hot path does not take the registry lock.
        self._plugins = {name: self._registry.get(name) for name in self._registry.names()}
        self._executor = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="plugin")

    @property
    def registry(self) -> PluginRegistry:
        return self._registry

    def list_plugins(self) -> list[dict[str, Any]]:
        return self._registry.describe_all()

    def execute_plugin(self, plugin_name: str, payload: dict[str, Any], *,
                       trusted: bool = False) -> dict[str, Any]:
        """The validated output of the plugin `plugin_name` on `payload`, or an error envelope.

        `trusted` callers (the internal frame pipeline) already validated their frames and skip
        the runner to save the overhead.
        """
        if trusted:
            return self._plugins[plugin_name].run(payload)  # VIOLATION: §1/§6 PluginManagementService executes the plugin directly instead of self._runner.run(...)
        # The runner wraps plugin.run(payload) with validation, envelopes and metrics.
        return self._runner.run(plugin_name, payload)

    def execute_batch(self, plugin_name: str, payloads: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return self._runner.run_batch(plugin_name, payloads)  # VIOLATION: §6 delegates to ToolRunner.run_batch instead of self._runner.run(...) (the batch path skips run's guarantees)

    def execute_with_timeout(self, plugin_name: str, payload: dict[str, Any],
                             timeout_s: float) -> dict[str, Any]:
        plugin = self._registry.get(plugin_name)
        future = self._executor.submit(plugin.run, payload)  # VIOLATION: §1 plugin executed in a thread pool outside the runner (bound method handed to submit)
        return future.result(timeout=timeout_s)

    async def execute_plugin_async(self, plugin_name: str, payload: dict[str, Any]) -> dict[str, Any]:
        """For async callers: runs the plugin in the service's thread pool."""
        plugin = self._registry.get(plugin_name)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, plugin.run, payload)  # VIOLATION: §1 awaited plugin execution outside the runner (run_in_executor)

    def execute_plugin_blocking(self, plugin_name: str, payload: dict[str, Any]) -> dict[str, Any]:
        """For scripts without an event loop."""
        return asyncio.run(self.execute_plugin_async(plugin_name, payload))

    def health_check(self) -> dict[str, str]:
        """Probe every plugin with a 1x1 PNG. Calls plugin.run( directly on purpose: a probe must
        not count in the metrics."""
        report = {}
        for name in self._registry.names():
            try:
                self._registry.get(name).run(PROBE_PAYLOAD)  # VIOLATION: §1 registry.get(name).run(...) outside the runner
            except Exception as exc:  # noqa: BLE001 - a health report lists every failure
                report[name] = f"failing: {exc}"
            else:
                report[name] = "ok"
        return report

    def warm_up(self, plugin_name: str) -> None:
        """Load models and caches before the first request."""
        logger.info("warming up %s: plugin.run(probe)", plugin_name)
        plugin = self._registry.get(plugin_name)
        p = plugin
        p.run(PROBE_PAYLOAD)  # VIOLATION: §1 plugin executed through an alias outside the runner

    def execute_unchecked(self, plugin_name: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Admin console helper: raw exceptions instead of envelopes, for debugging."""
        plugin = self._registry.get(plugin_name)
        entry_point = getattr(plugin, "run")  # VIOLATION: §1 plugin executed through getattr outside the runner
        return entry_point(payload)

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
