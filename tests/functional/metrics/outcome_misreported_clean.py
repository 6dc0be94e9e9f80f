# phase12-path: server/app/services/tool_runner.py
"""Outcomes that follow the execution, in the forms runners take: nothing to report."""
import enum
import time

from server.app.error_envelope import build_error_envelope
from server.app.validation import validate_input_payload, validate_plugin_output


class Verdict(enum.Enum):
    PASSED = "passed"
    FAILED = "failed"


class ToolRunner:
    def __init__(self, registry, log):
        self._registry = registry
        self._log = log

    def run(self, plugin_name, payload):
        verdict = Verdict.FAILED
        begun = time.monotonic()
        try:
            validate_input_payload(payload)
            tool = self._registry.get(plugin_name)
            checked = validate_plugin_output(tool.run(payload))
            verdict = Verdict.PASSED
            return checked
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name, outcome=verdict,
                                                    duration_ms=time.monotonic() - begun)

    def run_reset_on_failure(self, plugin_name, payload):
        # Optimistic, but every failure path sets the flag back.
        passed = True
        try:
            validate_input_payload(payload)
            tool = self._registry.get(plugin_name)
            return validate_plugin_output(tool.run(payload))
        except Exception as exc:
            passed = False
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name, success=passed)

    def run_each(self, jobs):
        answers = []
        for plugin_name, payload in jobs:
            ok = False
            try:
                validate_input_payload(payload)
                tool = self._registry.get(plugin_name)
                answers.append(validate_plugin_output(tool.run(payload)))
                ok = True
            except Exception as exc:
                answers.append(build_error_envelope(exc, plugin_name))
            finally:
                self._registry.update_execution_metrics(plugin_name, ok=ok)
        return answers

    def run_split(self, plugin_name, payload):
        # One update per outcome, each on its own branch of the flag.
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
            if ok:
                self._registry.update_execution_metrics(plugin_name, ok=True)
            else:
                self._registry.update_execution_metrics(plugin_name, ok=False)

    def run_computed(self, plugin_name, payload):
        # A flag computed from the result: its meaning cannot be told, so it is not judged.
        checked = None
        try:
            validate_input_payload(payload)
            tool = self._registry.get(plugin_name)
            checked = validate_plugin_output(tool.run(payload))
            return checked
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name, ok=checked is not None)

    def run_tracked(self, plugin_name, payload):
        with self._registry.update_execution_metrics(plugin_name) as ticket:
            try:
                validate_input_payload(payload)
                tool = self._registry.get(plugin_name)
                checked = validate_plugin_output(tool.run(payload))
                ticket.mark_done_ok()
                return checked
            except Exception as exc:
                return build_error_envelope(exc, plugin_name)

    def run_tracked_early(self, plugin_name, payload):
        # Marked early, but the failure handler marks the failure again.
        with self._registry.update_execution_metrics(plugin_name) as ticket:
            try:
                validate_input_payload(payload)
                tool = self._registry.get(plugin_name)
                produced = tool.run(payload)
                ticket.succeeded = True
                return validate_plugin_output(produced)
            except Exception as exc:
                ticket.succeeded = False
                return build_error_envelope(exc, plugin_name)

    def run_named(self, plugin_name, payload, *, label):
        # The name recorded is the one the envelope carries; the label is something else.
        ok = False
        try:
            validate_input_payload(payload)
            tool = self._registry.get(plugin_name)
            checked = validate_plugin_output(tool.run(payload))
            ok = True
            self._log.info("%s done", label)
            return checked
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name, ok=ok)

    async def replay(self, plugin_name, payload, fetch):
        # A public method that records without executing a plugin itself: judged all the same.
        ok = False
        try:
            validate_input_payload(payload)
            checked = validate_plugin_output(await fetch(plugin_name, payload))
            ok = True
            return checked
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name, ok=ok)
