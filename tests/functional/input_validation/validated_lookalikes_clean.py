# phase12-path: server/app/services/tool_runner.py
"""Validation that precedes the lookup on every path, in the shapes real runners use."""
from server.app.error_envelope import build_error_envelope
from server.app.validation import validate_input_payload, validate_plugin_output


class ToolRunner:
    def __init__(self, registry):
        self._registry = registry

    def run(self, plugin_name, payload):
        # Short-circuit on the validator's result, outside the try: fine.
        error = validate_input_payload(payload)
        if error:
            return build_error_envelope(error, plugin_name)
        success = False
        try:
            plugin = self._registry.get(plugin_name)
            output = validate_plugin_output(plugin.run(payload))
            success = True
            return output
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name, success=success)

    def run_with_helper(self, plugin_name, payload):
        try:
            self._validate(payload)
            plugin = self._registry.get(plugin_name)
            return validate_plugin_output(plugin.run(payload))
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name)

    def _validate(self, payload):
        if payload is None:
            raise ValueError("empty payload")
        validate_input_payload(payload)

    async def run_async(self, plugin_name, payload):
        try:
            if (problem := await validate_input_payload(payload)) is not None:
                return self._reject(problem, plugin_name)
            plugin = self._registry.get(plugin_name)
            raw = await plugin.run(payload)
            return validate_plugin_output(raw)
        except Exception as exc:
            return build_error_envelope(exc, plugin_name)
        finally:
            self._registry.update_execution_metrics(plugin_name)

    def _reject(self, problem, plugin_name):
        return build_error_envelope(ValueError(problem), plugin_name)

    def run_every_branch(self, plugin_name, payload, strict):
        try:
            if strict:
                validate_input_payload(payload, strict=True)
            else:
                validate_input_payload(payload)
            plugin = self._registry.get(plugin_name)
            return validate_plugin_output(plugin.run(payload))
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
                outputs.append(validate_plugin_output(plugin.run(payload)))
            except Exception as exc:
                return build_error_envelope(exc, plugin_name)
            finally:
                self._registry.update_execution_metrics(plugin_name)
        return outputs

    def run_describing_failures(self, plugin_name, payload):
        try:
            validate_input_payload(payload)
            plugin = self._registry.get(plugin_name)
            return validate_plugin_output(plugin.run(payload))
        except Exception as exc:
            return build_error_envelope(exc, self._registry.get(plugin_name).name)
        finally:
            self._registry.update_execution_metrics(plugin_name)
