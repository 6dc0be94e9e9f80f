"""What declares a FastAPI route (`analysis.route_declarations`), and that the API rules' routes
(`analysis.routes.route_functions`) and the project model's route facts are the same ones."""

from __future__ import annotations

import ast
import textwrap

import pytest

from flake8_phase12.analysis.route_declarations import decorator_route, registered_route
from flake8_phase12.analysis.routes import is_websocket_route, route_functions
from flake8_phase12.model.facts import extract


def expression(source: str) -> ast.expr:
    return ast.parse(source, mode="eval").body


@pytest.mark.parametrize(("decorator", "methods", "path", "receiver"), [
    ('router.post("/x")', ("POST",), "'/x'", "router"),
    ('app.get(path=PATH)', ("GET",), "PATH", "app"),
    ('api.router.delete(f"/x/{ID}")', ("DELETE",), "f'/x/{ID}'", "api.router"),
    ('router.api_route("/x", methods=["post", "GET"])', ("GET", "POST"), "'/x'", "router"),
    ('router.api_route("/x")', ("GET",), "'/x'", "router"),  # FastAPI's default
    ('router.websocket("/live")', ("WEBSOCKET",), "'/live'", "router"),
    ('router.websocket_route("/live")', ("WEBSOCKET",), "'/live'", "router"),
    ('get_router().trace(*paths)', ("TRACE",), "*paths", "get_router()"),
    ('router.get(**options)', ("GET",), None, "router"),  # the path is in the mapping, unknown
])
def test_route_decorators(decorator, methods, path, receiver):
    declared = decorator_route(expression(decorator))
    assert declared is not None
    assert declared.methods == methods
    assert (ast.unparse(declared.path) if declared.path is not None else None) == path
    assert ast.unparse(declared.receiver) == receiver and declared.endpoint is None
    assert declared.is_websocket == (methods == ("WEBSOCKET",))


@pytest.mark.parametrize("decorator", [
    "router.get",  # not called: FastAPI's decorators are factories
    "router.get()",  # no path: FastAPI raises TypeError on import
    "router.get(name='x')",
    "get('/x')",
    "router.route('/x')",  # Starlette's (and Flask's) `route`: not one of FastAPI's route decorators
    "cache.memoize('/x')",
    "staticmethod",
])
def test_what_declares_no_route(decorator):
    assert decorator_route(expression(decorator)) is None


@pytest.mark.parametrize(("call", "methods", "path", "endpoint"), [
    ('router.add_api_route("/x", handle)', ("GET",), "'/x'", "handle"),
    ('app.add_api_route("/x", endpoint=views.handle, methods=("PUT",))', ("PUT",), "'/x'", "views.handle"),
    ('app.add_api_route(path=P, endpoint=handle, methods=["delete"])', ("DELETE",), "P", "handle"),
])
def test_registered_routes(call, methods, path, endpoint):
    declared = registered_route(expression(call))
    assert declared is not None
    assert (declared.methods, ast.unparse(declared.path), ast.unparse(declared.endpoint)) == (
        methods, path, endpoint)


@pytest.mark.parametrize("call", [
    'router.add_api_route("/x")',  # which endpoint is not said
    "router.add_api_route(endpoint=handle)",  # no path
    'router.include_router(other, prefix="/x")',
    'router.post("/x", handle)',
])
def test_calls_that_register_no_route(call):
    assert registered_route(expression(call)) is None


SOURCE = '''
from fastapi import APIRouter

router = APIRouter()

@router.post("/analyze")
def analyze(): ...

@router.api_route("/both", methods=["GET", "POST"])
def both(): ...

@router.websocket_route("/live")
async def live(socket): ...

@router.get()
def broken(): ...

def listed(): ...

router.add_api_route("/listed", listed)

def helper(): ...
'''


def test_the_rules_and_the_model_find_the_same_routes():
    tree = ast.parse(textwrap.dedent(SOURCE))
    functions = [node for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]
    attributes = [node for node in ast.walk(tree) if isinstance(node, ast.Attribute)]
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    routes = route_functions(functions, attributes, parents)
    facts = extract(tree, "app.api", "app/api.py", is_package=False)
    assert sorted(function.name for function in routes) == sorted(route.handler for route in facts.routes) \
        == ["analyze", "both", "listed", "live"]
    assert [function.name for function in routes if is_websocket_route(function)] == ["live"]
