# phase12-path: server/app/error_envelope.py
"""A pydantic envelope whose dump lacks fields: one excluded, one aliased but dumped by name."""
import traceback
from datetime import datetime, timezone
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field


class Problem(BaseModel):
    model_config = ConfigDict(frozen=True)

    type: str
    message: str
    details: Annotated[dict[str, Any], Field(exclude=True)] = {}  # expect: GOV408
    plugin: str | None = None
    timestamp: str


class Trace(BaseModel):
    traceback: str


class Envelope(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    error: Problem
    internal: Trace = Field(alias="_internal")  # expect: GOV408

    @classmethod
    def build_error_envelope(cls, exc, plugin_name):
        return cls(
            error=Problem(type=type(exc).__name__, message=str(exc), plugin=plugin_name,
                          timestamp=datetime.now(timezone.utc).isoformat()),
            internal=Trace(traceback="".join(traceback.format_exception(exc))),
        )
