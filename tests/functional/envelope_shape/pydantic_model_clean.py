# phase12-path: server/app/error_envelope.py
"""Pydantic envelopes whose dump has every field: by alias, through a base model, or dumped by
the builder itself; a model whose base is declared elsewhere is not judged."""
import traceback
from datetime import datetime, timezone
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from server.app.shared import SharedModel


class Stamped(BaseModel):
    timestamp: str = Field(default_factory=lambda: datetime.now(timezone.utc).isoformat())


class Problem(Stamped):
    type: str
    message: str
    details: dict[str, Any] = Field(default_factory=dict)
    plugin: str | None = None
    debug_hint: str = Field(default="", exclude=True)


class Trace(BaseModel):
    traceback: str


class Envelope(BaseModel):
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    error: Problem
    internal: Trace = Field(alias="_internal")

    @classmethod
    def build_error_envelope(cls, exc, plugin_name):
        return cls(error=Problem(type=type(exc).__name__, message=str(exc), plugin=plugin_name),
                   internal=Trace(traceback="".join(traceback.format_exception(exc))))


class PlainEnvelope(BaseModel):
    error: Problem
    internal: Trace = Field(serialization_alias="_internal")

    def build_error_envelope(self, exc, plugin_name):
        return PlainEnvelope(error=Problem(type=type(exc).__name__, message=str(exc),
                                           plugin=plugin_name),
                             internal=Trace(traceback="")).model_dump(by_alias=True)


class Borrowed(SharedModel):
    error: dict[str, Any]

    @classmethod
    def build_error_envelope(cls, exc, plugin_name):
        return cls(error={"type": type(exc).__name__})
