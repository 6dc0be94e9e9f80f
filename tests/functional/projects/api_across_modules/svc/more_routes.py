"""A compliant governed route, its error handled by the helper of svc/errors.py."""

from fastapi import APIRouter

from svc.deps import FacadeDep
from svc.errors import raise_for

router = APIRouter()


@router.post("/v2/analyze/{name}")
def analyze(name: str, payload: dict, facade: FacadeDep) -> dict:
    result, error = facade.analyze(name, payload)
    raise_for(error)
    return {"result": result, "plugin": name}
