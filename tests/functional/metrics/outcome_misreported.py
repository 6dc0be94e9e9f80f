# phase12-path: server/app/services/tool_runner.py
"""What the metrics update records must follow the execution: its outcome and its plugin."""
import enum
import time

from server.app.error_envelope import build_error_envelope
from server.app.validation import validate_input_payload, validate_plugin_output


class Verdict(enum.Enum):
    PASSED = "passed"
    FAILED = "failed"


class ToolRunner:
    def __init__(self, registry):
        self._registry = registry

    def run(self, plugin_name, payload):
        begun = time.monotonic()
        try:
            validate_input_payload(payload)
            tool = self._registry.get(plugin_name)
            return validate_plugin_output(tool.run(payload))
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(
                plugin_name, was_successful=True,  # expect: GOV509
                duration_ms=time.monotonic() - begun)

    def run_with_verdict(self, plugin_name, payload):
        try:
            validate_input_payload(payload)
            tool = self._registry.get(plugin_name)
            return validate_plugin_output(tool.run(payload))
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name, Verdict.PASSED)  # expect: GOV509

    def run_marked_early(self, plugin_name, payload):
        passed = False
        try:
            validate_input_payload(payload)
            tool = self._registry.get(plugin_name)
            produced = tool.run(payload)
            passed = True  # expect: GOV509
            checked = validate_plugin_output(produced)
            return checked
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name, success=passed)

    def run_optimistic(self, plugin_name, payload):
        verdict = Verdict.PASSED  # expect: GOV509
        try:
            validate_input_payload(payload)
            tool = self._registry.get(plugin_name)
            checked = validate_plugin_output(tool.run(payload))
            verdict = Verdict.PASSED
            return checked
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name, outcome=verdict)

    def run_never_passing(self, plugin_name, payload):
        ok = False
        try:
            validate_input_payload(payload)
            tool = self._registry.get(plugin_name)
            checked = validate_plugin_output(tool.run(payload))
            return checked  # expect: GOV509
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name, ok=ok)

    def run_falling_through(self, plugin_name, payload):
        ok = False
        try:
            try:
                validate_input_payload(payload)
                tool = self._registry.get(plugin_name)
                result = validate_plugin_output(tool.run(payload))
            except Exception as exc:
                result = build_error_envelope(exc, plugin_name)
            ok = True  # expect: GOV509
            return result
        finally:
            self._registry.update_execution_metrics(plugin_name, ok=ok)

    def run_tool(self, plugin_name, tool_name, payload):
        ok = False
        try:
            validate_input_payload(payload)
            tool = self._registry.get(plugin_name)
            checked = validate_plugin_output(tool.run(payload))
            ok = True
            return checked
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(tool_name, ok=ok)  # expect: GOV509

    def run_tracked(self, plugin_name, payload):
        with self._registry.update_execution_metrics(plugin_name) as ticket:
            try:
                validate_input_payload(payload)
                tool = self._registry.get(plugin_name)
                produced = tool.run(payload)
                ticket.mark_done_ok()  # expect: GOV509
                return validate_plugin_output(produced)
            except Exception as exc:
                return build_error_envelope(exc, plugin_name)

    async def replay(self, plugin_name, payload, fetch):
        # The plugin comes from elsewhere, but the method still records an execution.
        ok = True  # expect: GOV509
        try:
            validate_input_payload(payload)
            return validate_plugin_output(await fetch(plugin_name, payload))
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            if ok:  # expect: GOV503
                self._registry.update_execution_metrics(plugin_name, ok=ok)
