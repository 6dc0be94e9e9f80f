# phase12-path: server/app/services/tool_runner.py
"""Output validation missing, too early, outside the try, or on the wrong value."""
from server.app.error_envelope import build_error_envelope
from server.app.validation import validate_input_payload, validate_plugin_output


class ToolRunner:
    def __init__(self, registry):
        self._registry = registry
        self._cache = {}

    def run(self, plugin_name, payload):
        success = False
        try:
            validate_input_payload(payload)
            plugin = self._registry.get(plugin_name)
            output = plugin.run(payload)  # expect: GOV301
            success = True
            return output
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name, success=success)

    def run_after_try(self, plugin_name, payload):
        try:
            validate_input_payload(payload)
            plugin = self._registry.get(plugin_name)
            raw_output = plugin.run(payload)
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name)
        return validate_plugin_output(raw_output)  # expect: GOV303

    def run_in_else(self, plugin_name, payload):
        try:
            validate_input_payload(payload)
            plugin = self._registry.get(plugin_name)
            raw_output = plugin.run(payload)
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        else:
            return validate_plugin_output(raw_output)  # expect: GOV303
        finally:
            self._registry.update_execution_metrics(plugin_name)

    def run_in_handler(self, plugin_name, payload):
        try:
            validate_input_payload(payload)
            plugin = self._registry.get(plugin_name)
            return plugin.run(payload)
        except Exception as exc:
            validate_plugin_output(exc)  # expect: GOV303, GOV304
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name)

    def run_validating_first(self, plugin_name, payload):
        try:
            validate_input_payload(payload)
            plugin = self._registry.get(plugin_name)
            cached = validate_plugin_output(self._cache.get(plugin_name))  # expect: GOV302, GOV304
            return cached or plugin.run(payload)
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name)

    def run_on_one_branch(self, plugin_name, payload, fresh):
        try:
            validate_input_payload(payload)
            plugin = self._registry.get(plugin_name)
            if fresh:
                raw = plugin.run(payload)
            else:
                raw = self._cache[plugin_name]
            return validate_plugin_output(raw)  # expect: GOV302
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name)

    def run_batch(self, plugin_name, payloads):
        outputs = []
        for payload in payloads:
            try:
                validate_input_payload(payload)
                plugin = self._registry.get(plugin_name)
                raw_output = plugin.run(payload)
                validate_plugin_output(payload)  # expect: GOV304
                outputs.append(raw_output)
            except Exception as exc:
                return build_error_envelope(exc, plugin_name)
            finally:
                self._registry.update_execution_metrics(plugin_name)
        return outputs
