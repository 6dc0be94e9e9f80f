# phase12-path: server/app/services/tool_runner.py
"""Shapes that look risky but keep every exception inside the runner."""
import logging
import subprocess
import threading
from datetime import datetime, timezone

from server.app import error_envelope
from server.app.validation import validate_input_payload, validate_plugin_output

logger = logging.getLogger(__name__)


class ToolRunner:
    def __init__(self, registry):
        self._registry = registry
        self._lock = threading.Lock()

    def run(self, plugin_name, payload):
        started_at = datetime.now(timezone.utc).isoformat()
        logger.info("running %s at %s", plugin_name, started_at)
        with self._lock:
            try:
                validate_input_payload(payload)
                if plugin_name not in self._registry:
                    raise KeyError(plugin_name)  # caught by the broad handler below

                def on_progress(step):
                    raise RuntimeError(step)  # a nested function's raise, not run's

                plugin = self._registry.get(plugin_name)
                subprocess.run(["true"], check=True)
                with plugin.session():
                    raw_output = plugin.run(payload, progress=on_progress)
                try:
                    raw_output = raw_output.normalize()
                except AttributeError:
                    raise TypeError("plugin output has no normalize()")
                return validate_plugin_output(raw_output)
            except (ValueError, Exception) as exc:
                logger.exception("plugin %s failed", plugin_name)
                envelope = error_envelope.build_error_envelope(exc, plugin_name)
                envelope["error"]["details"] = {"started_at": started_at}
                return envelope
            finally:
                self._registry.update_execution_metrics(plugin_name)
