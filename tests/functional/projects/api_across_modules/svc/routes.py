"""A governed route: the service comes through an alias defined in svc/deps.py."""

from fastapi import APIRouter

from svc.deps import FacadeDep
from svc.errors import raise_for

router = APIRouter()


@router.post("/v1/analyze/{name}")
def analyze(name: str, payload: dict, facade: FacadeDep) -> dict:
    result, error = facade.analyze(name, payload)
    raise_for(error)
    return {"output": result, "plugin": name}  # expect: GOV705
