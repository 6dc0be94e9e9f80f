"""What a project offers callers, read from the model's facts: routes with their full paths,
returned dict keys and raised exceptions, on small multi-module projects written for these tests."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from flake8_phase12.model.interface import raised_classes, return_shapes, served_routes, string_value
from flake8_phase12.model.project import ProjectModel, Ref

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
    assert refund.function == Ref("kiosk.web.tickets", "refund", "function")


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


def shapes_of(model: ProjectModel, module: str, qualname: str):
    facts = model.module(module)
    assert facts is not None
    function = next(function for function in facts.functions if function.qualname == qualname)
    return return_shapes(model, facts, function)


def test_returned_dict_keys_follow_the_variable_that_builds_them(kiosk):
    assert shapes_of(kiosk, "kiosk.web.tickets", "list_tickets") == (("count", "page", "tickets"),)
    assert shapes_of(kiosk, "kiosk.web.tickets", "refund") == (("note", "refunded"),)
    assert shapes_of(kiosk, "kiosk.web.tickets", "print_ticket") is None
    assert shapes_of(kiosk, "kiosk.app", "create_app.health") == (("**", "ok"),)  # extra() is unknown


def test_raised_exception_classes(kiosk):
    functions = {function.qualname: function for function in kiosk.module("kiosk.web.tickets").functions}
    assert raised_classes(functions["print_ticket"]) == ("ValueError", "errors.NotFound")


def test_a_variable_is_a_dict_when_keys_are_stored_into_it(tmp_path):
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

        def card():
            found = build()
            found["c"] = 1
            return found

        def later(flag):
            reply = {"a": 1}
            reply["b"] = 2
            if flag:
                reply = build()
            return reply
        """})
    model = ProjectModel(root, cache=False)
    assert shapes_of(model, "shop", "view") is None  # nothing says `build()` gives a dict
    assert shapes_of(model, "shop", "merged") == (("**", "a", "b"),)
    assert shapes_of(model, "shop", "card") == (("**", "c"),)
    assert shapes_of(model, "shop", "later") == (("**", "a", "b"),)  # stored into, whatever the order


MENU = {
    "menu/__init__.py": "",
    "menu/dish.py": """
        class Dish:
            def describe(self):
                return {"name": self.name, "price": 1}

            def ambiguous(self, flag):
                if flag:
                    return {"a": 1}
                return {"b": 1}
        """,
    "menu/entry.py": """
        from dataclasses import dataclass
        from menu.dish import Dish

        def base():
            return dict(kind="entry")

        @dataclass
        class Entry:
            dish: Dish

            def as_dict(self):
                card = self.dish.describe()
                card["listed"] = True
                return card

            def summary(self):
                return {**self.as_dict(), **base(), "short": True}

            def loose(self):
                return {**self.dish.ambiguous(True), "x": 1}

        def render(entry: Entry, other):
            return {**entry.as_dict(), **other.as_dict()}
        """,
}


def test_merged_mappings_add_the_keys_of_the_project_function_they_call(tmp_path):
    model = ProjectModel(write(tmp_path, MENU), cache=False)
    assert shapes_of(model, "menu.entry", "Entry.as_dict") == (("listed", "name", "price"),)
    assert shapes_of(model, "menu.entry", "Entry.summary") == (("kind", "listed", "name", "price", "short"),)
    assert shapes_of(model, "menu.entry", "Entry.loose") == (("**", "x"),)  # two key sets: open
    assert shapes_of(model, "menu.entry", "render") == (("**", "listed", "name", "price"),)


def test_websocket_routes_and_paths_the_source_does_not_spell(tmp_path):
    """`websocket_route` declares a WebSocket route as `websocket` does (FastAPI's routers have
    both). A path that only an unpacked mapping may hold leaves the route's path unknown: its
    handler is a route (`init` follows it), and nothing is served under a guessed path. A
    decorator that passes no path at all declares nothing (FastAPI raises TypeError)."""
    model = ProjectModel(write(tmp_path, {
        "live/__init__.py": "",
        "live/feed.py": """
            from fastapi import APIRouter

            router = APIRouter()
            OPTIONS = {"path": "/hidden"}

            @router.websocket("/feed")
            async def feed(socket): ...

            @router.websocket_route("/legacy")
            async def legacy(socket): ...

            @router.get(**OPTIONS)
            def hidden(): ...

            @router.get()
            def broken(): ...
            """}), cache=False)
    feed = model.module("live.feed")
    assert [(route.handler, route.methods, route.path, route.path_text) for route in feed.routes] == [
        ("feed", ("WEBSOCKET",), "/feed", ""), ("legacy", ("WEBSOCKET",), "/legacy", ""),
        ("hidden", ("GET",), "", "**")]
    assert [(route.method, route.path, route.handler) for route in served_routes(model, model.modules())] == [
        ("WEBSOCKET", "/feed", "live.feed.feed"), ("WEBSOCKET", "/legacy", "live.feed.legacy")]
