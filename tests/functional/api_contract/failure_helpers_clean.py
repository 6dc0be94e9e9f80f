# phase12-path: server/app/api/failures.py
"""Helpers beside the route module: the analysis-error one answers 400 with the error object;
the others raise for things that are not analysis errors (an upstream service's own error
key included), with statuses of their own."""
from typing import TYPE_CHECKING

from fastapi import HTTPException

if TYPE_CHECKING:
    from server.app.error_envelope import ErrorEnvelope


def abort_for(envelope: "ErrorEnvelope | None") -> None:
    """Raises HTTPException(status_code=500, detail=str(envelope)) never: see the tests."""
    if envelope is None:
        return
    raise HTTPException(status_code=400, detail=envelope["error"])


def not_found(kind: str, name: str) -> None:
    raise HTTPException(status_code=404, detail=f"unknown {kind}: {name}")


def forbid(user) -> None:
    if not user.admin:
        raise HTTPException(status_code=403, detail={"reason": "admins only"})


def too_large(size: int, limit: int) -> None:
    if size > limit:
        raise HTTPException(413, detail=str(size))


def upstream_failed(reply: dict) -> None:
    if "error" in reply:
        raise HTTPException(status_code=502, detail=reply["error"]["message"])
