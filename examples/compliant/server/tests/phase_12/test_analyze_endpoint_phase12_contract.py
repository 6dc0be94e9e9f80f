"""Checklist §7: the analyze endpoint's Phase 12 contract, and its Phase 11 shape."""

from __future__ import annotations

import asyncio

import pytest

fastapi = pytest.importorskip("fastapi")

from server.app.api import analyze as analyze_api  # noqa: E402
from server.app.api.dependencies import set_analysis_service  # noqa: E402
from server.app.plugin_registry import build_default_registry  # noqa: E402
from server.app.services.analysis_service import AnalysisService  # noqa: E402
from server.app.services.job_management_service import JobManagementService  # noqa: E402
from server.app.services.plugin_management_service import PluginManagementService  # noqa: E402

ERROR_FIELDS = {"type", "message", "details", "plugin", "timestamp"}


@pytest.fixture
def registry():
    registry = build_default_registry()
    set_analysis_service(AnalysisService(JobManagementService(PluginManagementService(registry))))
    yield registry
    set_analysis_service(None)


def call(plugin: str, image: str, mime_type: str = "image/png", **options):
    request = analyze_api.AnalyzeRequest(plugin=plugin, image=image, mime_type=mime_type,
                                         options=options)
    return asyncio.run(analyze_api.analyze(request))


def test_same_path_and_method_as_phase_11():
    routes = [route for route in analyze_api.router.routes if route.path == "/v1/analyze"]
    assert len(routes) == 1 and routes[0].methods == {"POST"}


def test_success_keeps_the_phase_11_shape(registry, encode, png_bytes):
    response = call("metadata", encode(png_bytes))
    assert response["plugin"] == "metadata"
    assert response["result"]["format"] == "png"
    assert {"result", "plugin"} <= response.keys()
    assert set(response) - {"result", "plugin"} <= {"elapsed_ms"}, "only additive metadata"
    assert registry.record("metadata").success_count == 1


@pytest.mark.parametrize("plugin, image, mime_type, error_type", [
    ("metadata", "", "image/png", "ValidationError"),
    ("metadata", "%%%", "image/png", "ValidationError"),
    ("metadata", "iVBORw0KGgo=", "image/tiff", "ValidationError"),
    ("ghost", "iVBORw0KGgo=", "image/png", "PluginNotFoundError"),
    ("metadata", "iVBORw0KGgo=", "image/png", "PluginError"),
])
def test_errors_are_400_with_the_structured_error(registry, plugin, image, mime_type, error_type):
    with pytest.raises(fastapi.HTTPException) as caught:
        call(plugin, image, mime_type)
    assert caught.value.status_code == 400
    detail = caught.value.detail
    assert isinstance(detail, dict) and set(detail) == ERROR_FIELDS
    assert detail["type"] == error_type and detail["plugin"] == plugin


def test_internal_details_never_reach_the_client(registry):
    with pytest.raises(fastapi.HTTPException) as caught:
        call("metadata", "", "image/png")
    assert "_internal" not in caught.value.detail
    assert "traceback" not in repr(caught.value.detail).lower()


def test_openapi_still_documents_the_phase_11_request():
    from server.main import create_app

    operation = create_app().openapi()["paths"]["/v1/analyze"]["post"]
    assert "requestBody" in operation


def test_over_http(registry, encode, png_bytes):
    pytest.importorskip("httpx")
    from fastapi.testclient import TestClient

    from server.main import create_app

    client = TestClient(create_app())
    ok = client.post("/v1/analyze", json={"plugin": "metadata", "image": encode(png_bytes),
                                          "mime_type": "image/png"})
    assert ok.status_code == 200 and ok.json()["plugin"] == "metadata"
    bad = client.post("/v1/analyze", json={"plugin": "metadata", "image": "",
                                           "mime_type": "image/png"})
    assert bad.status_code == 400 and set(bad.json()["detail"]) == ERROR_FIELDS
