# phase12-path: server/app/services/tool_runner.py
"""A runner that declares its envelope model and dumps it without part of it."""
from pydantic import BaseModel, ConfigDict, Field

from server.app.validation import validate_input_payload, validate_plugin_output


class Trace(BaseModel):
    traceback: str


class Problem(BaseModel):
    type: str
    message: str
    details: dict
    plugin: str
    timestamp: str


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
            return envelope.model_dump(exclude={"internal"})  # expect: GOV408
        finally:
            self._registry.update_execution_metrics(plugin_name)
