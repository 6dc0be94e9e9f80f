# phase12-path: server/app/api/failures.py
"""Helpers the routes call to turn an analysis error into an HTTP error, beside the route
module: each takes a parameter typed with the envelope module's type and raises for it."""
from typing import TYPE_CHECKING

from fastapi import HTTPException, status

if TYPE_CHECKING:
    from server.app.error_envelope import ErrorEnvelope


def abort_for(envelope: "ErrorEnvelope | None") -> None:
    if envelope is None:
        return
    raise HTTPException(status_code=400, detail=envelope)  # expect: GOV702


def abort_unavailable(envelope: "ErrorEnvelope | None") -> None:
    if envelope is not None:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, detail=envelope["error"])  # expect: GOV701


def abort_with_text(envelope: "ErrorEnvelope") -> None:
    if envelope:
        raise HTTPException(400, detail=envelope["error"]["message"])  # expect: GOV702
