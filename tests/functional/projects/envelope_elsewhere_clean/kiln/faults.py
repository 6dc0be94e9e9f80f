"""The error envelope as a pydantic model; `capture` puts the job it is given in error.plugin."""

import traceback
from datetime import datetime, timezone

from pydantic import BaseModel, ConfigDict, Field


class FaultBody(BaseModel):
    type: str
    message: str
    details: dict = Field(default_factory=dict)
    plugin: str | None
    timestamp: str
    hint: str = ""


class TraceBody(BaseModel):
    traceback: str


class Fault(BaseModel):
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    error: FaultBody
    internal: TraceBody = Field(alias="_internal")

    @classmethod
    def capture(cls, exc, *, job=None, hint=""):
        return cls(
            error=FaultBody(type=type(exc).__name__, message=str(exc), plugin=job, hint=hint,
                            timestamp=datetime.now(timezone.utc).isoformat()),
            internal=TraceBody(traceback="".join(traceback.format_exception(exc))),
        )
