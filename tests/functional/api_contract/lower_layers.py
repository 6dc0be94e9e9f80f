# phase12-path: server/app/api/analyze.py
"""A route module that reaches below the analysis service."""
from typing import TYPE_CHECKING

from fastapi import APIRouter

from server.app.services import plugin_management_service  # expect: GOV608
from server.app.services.tool_runner import ToolRunner  # expect: GOV608

from ..services.job_management_service import JobManagementService  # expect: GOV608

if TYPE_CHECKING:
    from server.app.services.plugin_management_service import PluginManagementService

router = APIRouter()
jobs = JobManagementService(plugin_management_service.build())


@router.post("/analyze/runner")
def analyze_runner(plugin_name: str, payload: dict):
    return ToolRunner(None).run(plugin_name, payload)  # expect: GOV608


@router.post("/analyze/through")
def analyze_through(plugin_name: str, payload: dict, service=None):
    return service._job_mgmt.run_job(plugin_name, payload)  # expect: GOV608


def describe(manager: "PluginManagementService") -> str:
    return type(manager).__name__
