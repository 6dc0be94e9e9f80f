"""Turning an analysis failure into the HTTP error."""

from fastapi import HTTPException

from svc.facade import Facade


def raise_for(error: dict | None) -> None:
    if error is not None:
        raise HTTPException(status_code=400, detail=error["error"])


def unrelated(facade: Facade) -> str:
    return type(facade).__name__
