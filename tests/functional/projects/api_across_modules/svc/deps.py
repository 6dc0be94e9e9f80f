"""Dependency wiring for the routes."""

from typing import Annotated

from fastapi import Depends, Request

from svc.facade import Facade


def get_facade(request: Request) -> Facade:
    return request.app.state.facade


FacadeDep = Annotated[Facade, Depends(get_facade)]
