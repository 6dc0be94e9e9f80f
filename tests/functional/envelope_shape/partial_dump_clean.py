# phase12-path: server/app/services/tool_runner.py
"""Dumps of the envelope object that keep every spec field, or whose model is declared
elsewhere (its fields cannot be read here)."""
from pydantic import BaseModel, ConfigDict, Field

from server.app.errors import Failure
from server.app.validation import validate_input_payload, validate_plugin_output


class Problem(BaseModel):
    type: str
    message: str
    details: dict
    plugin: str
    timestamp: str
    hint: str = ""


class Trace(BaseModel):
    traceback: str


class Envelope(BaseModel):
    model_config = ConfigDict(serialize_by_alias=True)

    error: Problem
    internal: Trace = Field(alias="_internal")

    @classmethod
    def build_error_envelope(cls, exc, plugin_name):
        raise NotImplementedError


class ToolRunner:
    def __init__(self, registry):
        self._registry = registry

    def run(self, plugin_name, payload):
        try:
            validate_input_payload(payload)
            plugin = self._registry.get(plugin_name)
            return validate_plugin_output(plugin.run(payload))
        except Exception as exc:
            envelope = Envelope.build_error_envelope(exc, plugin_name)
            return envelope.model_dump(exclude={"error": {"hint"}})
        finally:
            self._registry.update_execution_metrics(plugin_name)

    def run_elsewhere(self, plugin_name, payload):
        try:
            validate_input_payload(payload)
            plugin = self._registry.get(plugin_name)
            return validate_plugin_output(plugin.run(payload))
        except Exception as exc:
            failure = Failure.build_error_envelope(exc, plugin_name)
            return failure.model_dump(exclude={"internal"})
        finally:
            self._registry.update_execution_metrics(plugin_name)
