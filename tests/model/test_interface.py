"""What a project offers callers, read from the model's facts: routes with their full paths,
returned dict keys and raised exceptions, on small multi-module projects written for these tests."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from flake8_phase12.model.interface import raised_classes, return_shapes, served_routes, string_value
from flake8_phase12.model.project import ProjectModel

KIOSK = {
    "pyproject.toml": '[tool.pytest.ini_options]\npythonpath = ["srv"]\n',
    "srv/kiosk/__init__.py": "",
    "srv/kiosk/paths.py": """
        API = "/api"
        TICKETS = API + "/tickets"

        class Paths:
            PRINT = "/print"
        """,
    "srv/kiosk/web/__init__.py": "from kiosk.web.tickets import board as board\n",
    "srv/kiosk/web/tickets.py": """
        from fastapi import APIRouter
        from kiosk.paths import TICKETS, Paths

        VERSION = "v1"
        board = APIRouter(prefix=f"/{VERSION}")

        @board.get(TICKETS)
        def list_tickets():
            found = {"tickets": []}
            found["count"] = 0
            found.update(page=1)
            return found

        @board.api_route(Paths.PRINT, methods=["post", "GET"])
        def print_ticket(number: int):
            if number < 0:
                raise ValueError("negative")
            raise errors.NotFound(number)

        def refund(number: int):
            reply = dict(refunded=number)
            reply.setdefault("note")
            return reply
        """,
    "srv/kiosk/app.py": """
        from fastapi import FastAPI
        from kiosk import web
        from kiosk.web.tickets import refund

        def create_app():
            app = FastAPI()
            app.include_router(web.board, prefix="/kiosk")
            app.add_api_route("/refund/{number}", refund, methods=["DELETE"])

            @app.get("/health")
            def health():
                return {"ok": True, **extra()}

            return app
        """,
    "srv/kiosk/client.py": """
        class Remote:
            def get(self, path): ...

        remote = Remote()

        @remote.get("/not-a-route")
        def fetch():
            return 1
        """,
}


def write(root: Path, files: dict[str, str]) -> Path:
    for relative, source in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source), encoding="utf-8")
    return root


@pytest.fixture
def kiosk(tmp_path: Path) -> ProjectModel:
    return ProjectModel(write(tmp_path, KIOSK), cache=False)


def test_routes_are_served_under_every_prefix_the_source_spells(kiosk):
    routes = served_routes(kiosk, kiosk.modules())
    assert [(route.method, route.path, route.handler) for route in routes] == [
        ("GET", "/health", "kiosk.app.create_app.health"),
        ("GET", "/kiosk/v1/api/tickets", "kiosk.web.tickets.list_tickets"),
        ("GET", "/kiosk/v1/print", "kiosk.web.tickets.print_ticket"),
        ("POST", "/kiosk/v1/print", "kiosk.web.tickets.print_ticket"),
        ("DELETE", "/refund/{number}", "kiosk.web.tickets.refund"),
    ]
    refund = routes[-1]
    assert (refund.module, refund.file) == ("kiosk.app", "srv/kiosk/app.py")
    assert refund.function is not None and refund.function.qualname == "refund"


def test_route_facts_keep_what_the_module_cannot_spell(kiosk):
    tickets = kiosk.module("kiosk.web.tickets")
    assert [(route.handler, route.path, route.path_text) for route in tickets.routes] == [
        ("list_tickets", "", "TICKETS"), ("print_ticket", "", "Paths.PRINT")]
    app = kiosk.module("kiosk.app")
    assert [(route.handler, route.path, route.router) for route in app.routes] == [
        ("refund", "/refund/{number}", "app"), ("create_app.health", "/health", "app")]
    assert [(item.parent, item.child, item.prefix) for item in app.inclusions] == [
        ("app", "web.board", "/kiosk")]


def test_strings_are_read_across_modules(kiosk):
    tickets = kiosk.module("kiosk.web.tickets")
    assert string_value(kiosk, tickets, "TICKETS") == "/api/tickets"
    assert string_value(kiosk, tickets, "Paths.PRINT") == "/print"
    assert string_value(kiosk, tickets, "f'/{VERSION}/x'") == "/v1/x"
    assert string_value(kiosk, tickets, "board") is None
    assert string_value(kiosk, tickets, "f'{TICKETS!r}'") is None


def test_returned_dict_keys_follow_the_variable_that_builds_them(kiosk):
    functions = {function.qualname: function for function in kiosk.module("kiosk.web.tickets").functions}
    assert return_shapes(functions["list_tickets"]) == (("count", "page", "tickets"),)
    assert return_shapes(functions["refund"]) == (("note", "refunded"),)
    assert return_shapes(functions["print_ticket"]) is None
    health = {function.qualname: function for function in kiosk.module("kiosk.app").functions}
    assert return_shapes(health["create_app.health"]) == (("**", "ok"),)


def test_raised_exception_classes(kiosk):
    functions = {function.qualname: function for function in kiosk.module("kiosk.web.tickets").functions}
    assert raised_classes(functions["print_ticket"]) == ("ValueError", "errors.NotFound")


def test_a_variable_assigned_anything_else_is_not_followed(tmp_path):
    root = write(tmp_path, {"shop.py": """
        def view(flag):
            reply = {"a": 1}
            if flag:
                reply = build()
            return reply

        def merged():
            reply = {"a": 1}
            reply = {"b": 2}
            reply[key()] = 3
            return reply
        """})
    model = ProjectModel(root, cache=False)
    functions = {function.qualname: function for function in model.module("shop").functions}
    assert return_shapes(functions["view"]) is None
    assert return_shapes(functions["merged"]) == (("**", "a", "b"),)
