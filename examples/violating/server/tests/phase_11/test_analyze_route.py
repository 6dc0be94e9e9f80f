"""The HTTP API: routes, request model and response shapes."""

from __future__ import annotations

import asyncio

import pytest

fastapi = pytest.importorskip("fastapi")

from server.app.api import analyze as analyze_api  # noqa: E402
from server.app.api import plugins as plugins_api  # noqa: E402
from server.app.api.dependencies import get_analysis_service, set_analysis_service  # noqa: E402
from server.app.services.analysis_service import AnalysisService  # noqa: E402


@pytest.fixture(autouse=True)
def fresh_service():
    set_analysis_service(AnalysisService())
    yield
    set_analysis_service(None)


def routes(router) -> set[tuple[str, str]]:
    return {(route.path, method) for route in router.routes for method in route.methods}


def test_routes_keep_their_paths_and_methods():
    assert ("/v1/analyze", "POST") in routes(analyze_api.router)
    assert ("/v1/plugins", "GET") in routes(plugins_api.router)
    assert ("/v1/plugins/{name}", "GET") in routes(plugins_api.router)


def test_request_model_builds_the_payload(encode, png_bytes):
    request = analyze_api.AnalyzeRequest(plugin="metadata", image=encode(png_bytes),
                                         mime_type="image/png", options={"x": 1})
    assert request.to_payload() == {"image": encode(png_bytes), "mime_type": "image/png",
                                    "options": {"x": 1}}


def test_analyze_returns_result_and_plugin(encode, png_bytes):
    request = analyze_api.AnalyzeRequest(plugin="metadata", image=encode(png_bytes),
                                         mime_type="image/png")
    response = asyncio.run(analyze_api.analyze(request))
    assert {"result", "plugin"} <= response.keys()
    assert response["plugin"] == "metadata"
    assert response["result"]["format"] == "png"


def test_analyze_rejects_a_bad_request_with_400():
    request = analyze_api.AnalyzeRequest(plugin="metadata", image="", mime_type="image/png")
    with pytest.raises(fastapi.HTTPException) as caught:
        asyncio.run(analyze_api.analyze(request))
    assert caught.value.status_code == 400
    assert caught.value.detail


def test_plugin_listing_routes():
    listing = asyncio.run(plugins_api.list_plugins())
    assert listing["count"] == len(listing["plugins"]) == 3
    detail = asyncio.run(plugins_api.get_plugin("ocr"))
    assert detail["plugin"]["name"] == "ocr"
    with pytest.raises(fastapi.HTTPException) as caught:
        asyncio.run(plugins_api.get_plugin("nope"))
    assert caught.value.status_code == 404


def test_the_dependency_builds_a_default_service():
    set_analysis_service(None)
    assert isinstance(get_analysis_service(), AnalysisService)
    assert get_analysis_service() is get_analysis_service()


def test_application_mounts_both_routers():
    from server.main import create_app

    paths = create_app().openapi()["paths"]
    assert "post" in paths["/v1/analyze"]
    assert "get" in paths["/v1/plugins"] and "get" in paths["/v1/plugins/{name}"]


def test_over_http(encode, png_bytes):
    pytest.importorskip("httpx")
    from fastapi.testclient import TestClient

    from server.main import create_app

    client = TestClient(create_app())
    response = client.post("/v1/analyze", json={"plugin": "metadata", "image": encode(png_bytes),
                                                "mime_type": "image/png"})
    assert response.status_code == 200
    assert response.json()["plugin"] == "metadata"
    assert client.post("/v1/analyze", json={"plugin": "metadata", "image": "",
                                            "mime_type": "image/png"}).status_code == 400
