# phase12-path: server/app/services/tool_runner.py
"""Metrics updates in `finally`, on every path, in the shapes real runners use."""
import time

from server.app.error_envelope import build_error_envelope
from server.app.plugin_registry import PluginState, update_execution_metrics
from server.app.validation import validate_input_payload, validate_plugin_output


class ToolRunner:
    def __init__(self, registry):
        self._registry = registry

    def run(self, plugin_name, payload):
        # Rejected input is recorded before anything runs; the finally records executions.
        error = validate_input_payload(payload)
        if error:
            update_execution_metrics(plugin_name, state="ERROR")
            return build_error_envelope(error, plugin_name)
        state = PluginState.ERROR
        started = time.perf_counter()
        try:
            plugin = self._registry.get(plugin_name)
            output = validate_plugin_output(plugin.run(payload))
            state = PluginState.SUCCESS
            return output
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            if state is PluginState.SUCCESS:
                update_execution_metrics(plugin_name, state, time.perf_counter() - started)
            else:
                update_execution_metrics(plugin_name, PluginState.ERROR.value,
                                         time.perf_counter() - started)

    def run_with_helper(self, plugin_name, payload):
        ok = False
        try:
            validate_input_payload(payload)
            plugin = self._registry.get(plugin_name)
            output = validate_plugin_output(plugin.run(payload))
            ok = True
            return output
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            try:
                self._record(plugin_name, ok)
            except Exception:
                pass

    def _record(self, plugin_name, ok):
        self._registry.update_execution_metrics(
            plugin_name, status="success" if ok else "error", success=ok)

    def run_matching(self, plugin_name, payload, mode):
        outcome = "ERROR"
        try:
            validate_input_payload(payload)
            plugin = self._registry.get(plugin_name)
            output = validate_plugin_output(plugin.run(payload))
            outcome = "SUCCESS"
            return output
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            match mode:
                case "quiet":
                    self._registry.update_execution_metrics(plugin_name, outcome=outcome)
                case _:
                    self._registry.update_execution_metrics(plugin_name, outcome=outcome,
                                                            verbose=True)
