"""API routes (GOV805) and route handler return shapes (GOV804)."""

from __future__ import annotations

from pathlib import Path

from flake8_phase12.compat.extract import load_surface
from flake8_phase12.config import Config

ANALYZE = '''
from fastapi import APIRouter, HTTPException

router = APIRouter(prefix="/api")


@router.post("/analyze")
async def analyze(payload: dict):
    return {"result": payload, "plugin": "ocr"}


@router.get("/jobs/{job_id}")
def get_job(job_id: str):
    return {"id": job_id, "status": "done"}
'''


def routes_of(make_tree, files) -> list[tuple[str, str]]:
    root = make_tree("tree", files)
    surface = load_surface(root, Config(), origin="t", strict=True)
    return [(route.method, route.path) for route in surface.routes]


def test_routes_are_collected_with_prefixes(make_tree):
    files = {
        "app/__init__.py": "",
        "app/api/__init__.py": "",
        "app/api/analyze.py": ANALYZE,
        "app/api/admin.py": '''
            from fastapi import APIRouter
            admin = APIRouter(prefix="/admin")
            BASE = "/plugins"

            @admin.api_route(BASE, methods=["GET", "post"])
            def plugins():
                return {}

            def reload():
                return {"reloaded": True}

            admin.add_api_route("/reload", reload, methods=["PUT"])
            admin.add_api_route("/ping", endpoint=reload)
            ''',
        "app/main.py": '''
            from fastapi import FastAPI
            from app.api import analyze
            from app.api.admin import admin as admin_router

            app = FastAPI()
            app.include_router(analyze.router, prefix="/v1")
            app.include_router(admin_router)

            @app.get("/health")
            def health():
                return {"ok": True}
            ''',
    }
    assert sorted(routes_of(make_tree, files)) == [
        ("GET", "/admin/ping"), ("GET", "/admin/plugins"), ("GET", "/health"),
        ("GET", "/v1/api/jobs/{job_id}"), ("POST", "/admin/plugins"), ("POST", "/v1/api/analyze"),
        ("PUT", "/admin/reload"),
    ]


def test_unchanged_and_additive_routes(compat_summary):
    old = {"app/__init__.py": "", "app/analyze.py": ANALYZE}
    new_source = ANALYZE + '''

@router.post("/analyze/batch")
async def analyze_batch(payloads: list):
    return {"results": []}


@router.delete("/jobs/{id}")
def delete_job(id: str):
    return {}
'''
    # A renamed path parameter is the same URL for a client.
    new_source = new_source.replace('"/jobs/{job_id}")\ndef get_job(job_id: str)',
                                    '"/jobs/{id}")\ndef get_job(job_id: str)')
    assert compat_summary(old, {"app/__init__.py": "", "app/analyze.py": new_source}) == []


def test_removed_route(compat_changes):
    old = {"app/__init__.py": "", "app/analyze.py": ANALYZE}
    new = {"app/__init__.py": "", "app/analyze.py": ANALYZE.split("@router.get")[0]}
    changes = compat_changes(old, new)
    assert [(c.code, c.kind, c.object_path) for c in changes] == [
        ("GOV801", "function-removed", "app.analyze.get_job"),
        ("GOV805", "route-removed", "GET /api/jobs/{job_id}"),
    ]
    assert changes[1].message.startswith(
        "Phase 11 route GET /api/jobs/{job_id} (get_job) is no longer served")


def test_changed_method_and_path(compat_changes):
    old = {"app/__init__.py": "", "app/analyze.py": ANALYZE}
    new = {"app/__init__.py": "",
           "app/analyze.py": ANALYZE.replace('@router.post("/analyze")', '@router.put("/analyze")')
                                    .replace('"/jobs/{job_id}"', '"/job/{job_id}"')}
    changes = compat_changes(old, new)
    assert [(c.code, c.kind, c.object_path, c.new) for c in changes] == [
        ("GOV805", "route-changed", "POST /api/analyze", "PUT /api/analyze"),
        ("GOV805", "route-changed", "GET /api/jobs/{job_id}", "GET /api/job/{job_id}"),
    ]
    assert "its handler analyze now serves PUT /api/analyze" in changes[0].message
    assert changes[0].line == 7  # the handler in the new tree


def test_changed_router_prefix_moves_every_route(compat_summary):
    old = {"app/__init__.py": "", "app/analyze.py": ANALYZE}
    new = {"app/__init__.py": "", "app/analyze.py": ANALYZE.replace('prefix="/api"', 'prefix="/api/v2"')}
    assert compat_summary(old, new) == [
        ("GOV805", "route-changed", "GET /api/jobs/{job_id}"),
        ("GOV805", "route-changed", "POST /api/analyze"),
    ]


def test_changed_include_prefix(compat_summary):
    main = ("from fastapi import FastAPI\nfrom app.analyze import router\napp = FastAPI()\n"
            "app.include_router(router, prefix='{prefix}')\n")
    old = {"app/__init__.py": "", "app/analyze.py": ANALYZE, "app/main.py": main.replace("{prefix}", "")}
    new = {"app/__init__.py": "", "app/analyze.py": ANALYZE, "app/main.py": main.replace("{prefix}", "/v2")}
    assert [path for _, _, path in compat_summary(old, new)] == [
        "GET /api/jobs/{job_id}", "POST /api/analyze"]


def test_removed_response_key(compat_changes):
    old = {"app/__init__.py": "", "app/analyze.py": ANALYZE}
    new = {"app/__init__.py": "",
           "app/analyze.py": ANALYZE.replace('{"result": payload, "plugin": "ocr"}',
                                             '{"data": payload, "plugin": "ocr"}')}
    changes = compat_changes(old, new)
    assert [(c.code, c.kind, c.object_path) for c in changes] == [
        ("GOV804", "return-key-removed", "app.analyze.analyze")]
    assert "no longer returns the key(s) 'result'" in changes[0].message
    assert changes[0].old == "{plugin, result}" and changes[0].new == "{data, plugin}"


def test_added_response_keys_are_additive(compat_summary):
    old = {"app/__init__.py": "", "app/analyze.py": ANALYZE}
    new = {"app/__init__.py": "",
           "app/analyze.py": ANALYZE.replace('{"result": payload, "plugin": "ocr"}',
                                             '{"result": payload, "plugin": "ocr", "meta": {"ms": 1}}')}
    assert compat_summary(old, new) == []


def test_response_built_in_a_variable(compat_summary):
    old_handler = '''
        from fastapi import APIRouter
        router = APIRouter()

        @router.post("/analyze")
        def analyze(payload: dict):
            response = {"result": payload}
            response["plugin"] = "ocr"
            return response
        '''
    kept = old_handler.replace('response["plugin"] = "ocr"', 'response.update(plugin="ocr", extra=1)')
    dropped = old_handler.replace('response["plugin"] = "ocr"', 'response["plugin_name"] = "ocr"')
    assert compat_summary({"api.py": old_handler}, {"api.py": kept}) == []
    assert compat_summary({"api.py": old_handler}, {"api.py": dropped}) == [
        ("GOV804", "return-key-removed", "api.analyze")]


def test_each_phase11_return_shape_must_survive(compat_summary):
    old = '''
        from fastapi import APIRouter
        router = APIRouter()

        @router.post("/analyze")
        def analyze(payload: dict):
            if not payload:
                return {"error": "empty", "plugin": None}
            return {"result": payload, "plugin": "ocr"}
        '''
    new = old.replace('return {"error": "empty", "plugin": None}',
                      'return {"error": "empty", "plugin": None, "code": 1}')
    assert compat_summary({"api.py": old}, {"api.py": new}) == []
    split = old.replace('return {"result": payload, "plugin": "ocr"}', 'return {"result": payload}')
    assert compat_summary({"api.py": old}, {"api.py": split}) == [
        ("GOV804", "return-key-removed", "api.analyze")]


def test_open_or_invisible_shapes_are_not_guessed(compat_report):
    old = {"api.py": '''
        from fastapi import APIRouter
        router = APIRouter()

        @router.post("/analyze")
        def analyze(payload: dict):
            return {"result": payload, "plugin": "ocr"}
        '''}
    unpacked = {"api.py": old["api.py"].replace('return {"result": payload, "plugin": "ocr"}',
                                                'return {**base(payload), "plugin": "ocr"}')}
    invisible = {"api.py": old["api.py"].replace('return {"result": payload, "plugin": "ocr"}',
                                                 "return build_response(payload)")}
    assert compat_report(old, unpacked).changes == []
    report = compat_report(old, invisible)
    assert report.changes == []
    assert any("cannot be compared" in warning for warning in report.warnings)


def test_routes_in_a_configured_route_module_without_fastapi_import(make_tree):
    files = {"server/api/analyze.py": '''
        from .deps import router

        @router.post("/analyze")
        def analyze(payload):
            return {"result": 1}
        ''', "server/api/deps.py": "from fastapi import APIRouter\nrouter = APIRouter(prefix='/x')\n",
             "server/__init__.py": "", "server/api/__init__.py": ""}
    assert routes_of(make_tree, files) == [("POST", "/x/analyze")]


def test_no_routes_without_a_router(make_tree: object) -> None:
    files = {"client.py": "import requests\n\nclass Api:\n    def get(self, path):\n        pass\n\n"
                          "api = Api()\n\n@api.get('/x')\ndef f():\n    pass\n"}
    assert routes_of(make_tree, files) == []


def test_line_of_route_is_the_handler(make_tree) -> None:
    root: Path = make_tree("tree", {"api.py": ANALYZE})
    surface = load_surface(root, Config(), origin="t", strict=True)
    assert [(route.path, route.line, route.file) for route in surface.routes] == [
        ("/api/analyze", 7, "api.py"), ("/api/jobs/{job_id}", 12, "api.py")]


def test_public_function_return_shapes_are_compared_too(compat_changes):
    old = {"jobs.py": """
        class Job:
            def to_dict(self):
                return {"job_id": 1, "status": "done", "finished_at": None}

        def _private_view(job):
            return {"a": 1}
        """}
    new = {"jobs.py": """
        class Job:
            def to_dict(self):
                return {"job_id": 1, "status": "done", "error": None}

        def _private_view(job):
            return {"b": 1}
        """}
    changes = compat_changes(old, new)
    assert [(c.code, c.kind, c.object_path) for c in changes] == [
        ("GOV804", "return-key-removed", "jobs.Job.to_dict")]
    assert changes[0].message.startswith("method jobs.Job.to_dict no longer returns the key(s) 'finished_at'")


def test_a_handler_declared_to_return_a_list_lost_every_key(compat_changes, compat_report):
    old = {"api.py": """
        from typing import Any
        from fastapi import APIRouter
        router = APIRouter()

        @router.get("/tags")
        def tags(store) -> dict[str, Any]:
            return {"tags": store.tags(), "total": store.count()}

        @router.get("/labels")
        def labels(store):
            return {"labels": store.labels()}

        def export(store):
            return {"rows": store.rows()}
        """}
    new = {"api.py": """
        from typing import Any
        from fastapi import APIRouter
        router = APIRouter()

        @router.get("/tags")
        def tags(store) -> list[str]:
            return store.tags()

        @router.get("/labels", response_model=Optional[list[Label]])
        def labels(store):
            return store.labels()

        def export(store) -> tuple[int, ...]:
            return store.rows()
        """}
    changes = compat_changes(old, new)
    assert [(c.code, c.kind, c.object_path, c.new) for c in changes] == [
        ("GOV804", "return-type-changed", "api.tags", "list[str]"),
        ("GOV804", "return-type-changed", "api.labels", "Optional[list[Label]]"),
        ("GOV804", "return-type-changed", "api.export", "tuple[int, ...]"),
    ]
    assert changes[0].message.startswith(
        "route handler tags (GET /tags), declared to return list[str] now, no longer returns the key(s) "
        "'tags', 'total' that Phase 11 returned")
    # A type that may be a mapping (a model, a TypedDict, a Response) is not judged: a warning.
    model = {"api.py": new["api.py"].replace("-> list[str]", "-> TagPage")}
    report = compat_report(old, model)
    assert [c.object_path for c in report.changes] == ["api.labels", "api.export"]
    assert any("GET /tags" in warning and "cannot be compared" in warning for warning in report.warnings)
