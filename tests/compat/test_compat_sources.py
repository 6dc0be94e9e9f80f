"""Where the Phase 11 surface comes from (directory, git ref, snapshot), discovery, and bad inputs."""

from __future__ import annotations

import gc
import json
import shutil
import subprocess
import warnings
from pathlib import Path

import pytest

from flake8_phase12.compat import (
    SNAPSHOT_FORMAT_VERSION,
    check_compat,
    dumps_snapshot,
    load_surface,
    read_snapshot,
    write_snapshot,
)
from flake8_phase12.compat.snapshot import SCHEMA_PATH
from flake8_phase12.config import Config, ConfigError, config_from_mapping

V1 = {
    "app/__init__.py": "",
    "app/registry.py": "class Registry:\n    def __init__(self):\n        self.plugins = {}\n"
                       "    def get(self, name, default=None):\n"
                       "        return self.plugins.get(name, default)\n",
    "app/api.py": "from fastapi import APIRouter\nrouter = APIRouter()\n\n@router.post('/analyze')\n"
                  "def analyze(payload: dict):\n    return {'result': payload, 'plugin': 'ocr'}\n",
}
V2 = {
    "app/__init__.py": "",
    "app/registry.py": "class Registry:\n    def __init__(self):\n        self.entries = {}\n"
                       "    def get(self, name):\n        return self.entries.get(name)\n",
    "app/api.py": "from fastapi import APIRouter\nrouter = APIRouter()\n\n@router.post('/v2/analyze')\n"
                  "def analyze(payload: dict):\n    return {'data': payload}\n",
}
V2_CHANGES = [
    ("GOV803", "parameter-removed", "app.registry.Registry.get"),
    ("GOV805", "route-changed", "POST /analyze"),
    ("GOV808", "field-renamed", "app.registry.Registry.plugins"),
]


def kinds(report) -> list[tuple[str, str, str]]:
    return sorted((change.code, change.kind, change.object_path) for change in report.changes)


def one_line_error(excinfo: pytest.ExceptionInfo[ConfigError]) -> str:
    message = str(excinfo.value)
    assert message and "\n" not in message and "Traceback" not in message
    return message


# -- directories and discovery ----------------------------------------------------------------


def test_directory_source(make_tree):
    old, new = make_tree("v1", V1), make_tree("v2", V2)
    assert kinds(check_compat(new, Config(), str(old))) == V2_CHANGES


def test_relative_directory_is_relative_to_the_project_root(make_tree):
    make_tree("v1", V1)
    new = make_tree("v2", V2)
    assert kinds(check_compat(new, Config(), "../v1")) == V2_CHANGES


def test_against_defaults_to_the_configuration(make_tree):
    make_tree("v1", V1)
    new = make_tree("v2", V2)
    config = config_from_mapping({"compat": {"against": "../v1"}}, project_root=new)
    assert kinds(check_compat(new, config)) == V2_CHANGES


def test_namespace_packages(compat_summary):
    old = {"company/plugins/ocr.py": "def run(payload):\n    pass\n",
           "company/plugins/__init__.py": "", "company/core/engine.py": "class Engine:\n    x = 1\n"}
    new = {"company/plugins/ocr.py": "def run(payload, mode):\n    pass\n",
           "company/plugins/__init__.py": ""}
    assert compat_summary(old, new) == [
        ("GOV801", "module-removed", "company.core"),
        ("GOV803", "parameter-added-required", "company.plugins.ocr.run"),
    ]


def test_namespace_folders_inside_a_regular_package(compat_summary, make_tree):
    """`shop/web/` without `__init__.py` inside the package `shop`: griffe leaves it out of the
    package, compat reads it under its import name, with imports between its modules resolved."""
    old = {"shop/__init__.py": "", "shop/core.py": "class Till:\n    pass\n",
           "shop/web/views.py": "from shop.web.forms import Form\n\nclass View(Form):\n"
                                "    def show(self, item, *, style=None):\n        pass\n",
           "shop/web/forms.py": "class Form:\n    def post(self, data):\n        pass\n"}
    new = dict(old, **{"shop/web/views.py": old["shop/web/views.py"].replace("style=None", "theme=None")})
    assert compat_summary(old, new) == [
        ("GOV803", "parameter-renamed", "shop.web.views.View.show")]
    surface = load_surface(make_tree("tree", old), Config())
    assert {"shop.web", "shop.web.views.View.show", "shop.web.forms.Form.post"} <= set(surface.objects)
    assert surface.objects["shop.web.views.View"].bases == ("shop.web.forms.Form",)


def test_src_layout_keeps_import_names(make_tree):
    root = make_tree("tree", {"src/app/__init__.py": "def f():\n    pass\n", "src/tool.py": "X = 1\n"})
    surface = load_surface(root, Config())
    assert {"app", "app.f", "tool", "tool.X"} <= set(surface.objects)


def test_compat_paths_select_what_is_compared(make_tree):
    old = make_tree("v1", {**V1, "scripts_dir/tool.py": "def x(): pass\n"})
    new = make_tree("v2", {**V1, "server/extra.py": "def y(): pass\n"})
    config = config_from_mapping({"compat": {"paths": ["app"]}}, project_root=new)
    # Only the modules inside app/ are top-level names now: registry and api.
    assert check_compat(new, config, str(old)).changes == []
    assert {"registry", "api"} <= set(load_surface(new, config).objects)
    missing = config_from_mapping({"compat": {"paths": ["nope"]}}, project_root=new)
    with pytest.raises(ConfigError) as excinfo:
        check_compat(new, missing, str(old))
    assert "compat.paths entry 'nope' is not a directory" in one_line_error(excinfo)


def test_syntax_error_in_the_working_tree_is_a_config_error(make_tree):
    old = make_tree("v1", V1)
    new = make_tree("v2", {**V1, "app/broken.py": "def f(:\n"})
    with pytest.raises(ConfigError) as excinfo:
        check_compat(new, Config(), str(old))
    assert "app/broken.py:1: syntax error" in one_line_error(excinfo)


def test_syntax_error_in_the_old_tree_is_a_warning(make_tree):
    old = make_tree("v1", {**V1, "app/broken.py": "def f(:\n"})
    new = make_tree("v2", V1)
    report = check_compat(new, Config(), str(old))
    assert report.changes == []
    assert any("app/broken.py:1: syntax error" in warning for warning in report.warnings)


# -- bad inputs -------------------------------------------------------------------------------


def test_missing_directory_without_git(make_tree):
    new = make_tree("v2", V2)
    with pytest.raises(ConfigError) as excinfo:
        check_compat(new, Config(), str(new.parent / "no-such-dir"))
    message = one_line_error(excinfo)
    assert "is not a directory or a snapshot file" in message and "not inside a git repository" in message


def test_no_source_at_all(make_tree):
    new = make_tree("v2", V2)
    with pytest.raises(ConfigError) as excinfo:
        check_compat(new, Config())
    assert "no Phase 11 source given" in one_line_error(excinfo)


def test_old_tree_without_python_is_an_error(make_tree):
    old = make_tree("v1", {"README.md": "nothing here\n"})
    new = make_tree("v2", V2)
    with pytest.raises(ConfigError) as excinfo:
        check_compat(new, Config(), str(old))
    assert "has no Python modules" in one_line_error(excinfo)


@pytest.mark.parametrize(("content", "expected"), [
    ("{not json", "not a snapshot: invalid JSON at line 1"),
    ("[]", "not a phase12 snapshot"),
    (json.dumps({"format": "phase12-compat-snapshot", "format_version": 99, "objects": []}),
     "snapshot format version 99 is not supported"),
    (json.dumps({"format": "phase12-compat-snapshot", "format_version": 1, "objects": [{"path": "x"}]}),
     "invalid snapshot: objects[0]: missing 'kind'"),
    (json.dumps({"format": "phase12-compat-snapshot", "format_version": 1,
                 "objects": [{"path": "x", "kind": "widget", "file": "x.py", "line": 1}]}),
     "objects[0].kind: must be one of module, class, function, attribute"),
    (json.dumps({"format": "phase12-compat-snapshot", "format_version": 1,
                 "objects": [{"path": "x", "kind": "module", "file": "x.py", "line": "1"}]}),
     "objects[0].line: must be int"),
])
def test_bad_snapshots(make_tree, content, expected):
    new = make_tree("v2", V2)
    snapshot = new.parent / "phase11.json"
    snapshot.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as excinfo:
        check_compat(new, Config(), str(snapshot))
    assert expected in one_line_error(excinfo)


def test_missing_snapshot_file(make_tree):
    new = make_tree("v2", V2)
    with pytest.raises(ConfigError) as excinfo:
        check_compat(new, Config(), "missing-phase11.json")
    assert "snapshot file not found" in one_line_error(excinfo)


# -- snapshots ---------------------------------------------------------------------------------


def test_snapshot_round_trip_gives_the_same_surface_and_report(make_tree, tmp_path):
    old, new = make_tree("v1", V1), make_tree("v2", V2)
    surface = load_surface(old, Config())
    file = tmp_path / "out" / "phase11.json"
    write_snapshot(surface, file)
    restored = read_snapshot(file)
    assert restored.objects == surface.objects
    assert restored.routes == surface.routes
    assert restored.plugin_bases == surface.plugin_bases
    from_snapshot = check_compat(new, Config(), str(file))
    from_directory = check_compat(new, Config(), str(old))
    assert [change.to_dict() for change in from_snapshot.changes] == [
        change.to_dict() for change in from_directory.changes]


def test_snapshot_is_stable_sorted_and_valid_against_its_schema(make_tree):
    jsonschema = pytest.importorskip("jsonschema")
    root = make_tree("v1", {**V1, "app/zeta.py": "def z(): pass\n", "app/alpha.py": "def a(): pass\n"})
    text = dumps_snapshot(load_surface(root, Config()))
    assert text == dumps_snapshot(load_surface(root, Config()))
    data = json.loads(text)
    jsonschema.validate(data, json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
    assert data["format_version"] == SNAPSHOT_FORMAT_VERSION
    paths = [record["path"] for record in data["objects"]]
    assert paths == sorted(paths)
    # One record per line, so a committed snapshot diffs line by line.
    assert sum(1 for line in text.splitlines() if line.lstrip().startswith('{"path"')) == len(paths)


def test_snapshot_keeps_declared_types_and_reads_version_1(make_tree, tmp_path):
    root = make_tree("typed", {"api.py": """
        from fastapi import APIRouter
        router = APIRouter()

        @router.get("/items", response_model=dict)
        def items() -> dict:
            return {"items": []}

        def count(name: str) -> int:
            return 1
        """})
    surface = load_surface(root, Config())
    assert [route.returns for route in surface.routes] == ["dict"]
    assert surface.objects["api.count"].returns == "int"
    file = tmp_path / "typed.json"
    write_snapshot(surface, file)
    assert read_snapshot(file).routes == surface.routes
    data = json.loads(file.read_text(encoding="utf-8"))
    data["format_version"] = 1  # as written before declared types were kept
    for record in data["objects"] + data["routes"]:
        record.pop("returns", None)
    file.write_text(json.dumps(data), encoding="utf-8")
    old = read_snapshot(file)
    assert old.routes[0].returns == "" and old.objects["api.count"].returns == ""
    assert old.objects["api.router"].aliases == ("?",)  # fields' wire names: unknown in version 1


# -- git refs ----------------------------------------------------------------------------------

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def write_files(root: Path, files: dict[str, str]) -> None:
    for relative, source in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(source, encoding="utf-8")


def git(repo: Path, *arguments: str) -> str:
    command = ["git", "-c", "user.name=phase12", "-c", "user.email=phase12@example.invalid",
               "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *arguments]
    return subprocess.run(command, cwd=repo, check=True, capture_output=True, text=True).stdout


def commit_tree(repo: Path, files: dict[str, str], message: str) -> None:
    for relative in [path for path in repo.rglob("*.py") if ".git" not in path.parts]:
        relative.unlink()
    write_files(repo, files)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


@needs_git
def test_git_ref_source(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    commit_tree(repo, V1, "phase 11")
    git(repo, "tag", "phase11")
    commit_tree(repo, V2, "phase 12")
    # Uncommitted edits are part of the working tree that is checked.
    (repo / "app" / "new_module.py").write_text("def added(): pass\n", encoding="utf-8")
    assert kinds(check_compat(repo, Config(), "HEAD~1")) == V2_CHANGES
    assert kinds(check_compat(repo, Config(), "phase11")) == V2_CHANGES
    assert check_compat(repo, Config(), "HEAD").changes == []
    # The repository is left as it was: nothing staged, HEAD unchanged.
    assert git(repo, "status", "--porcelain") == "?? app/new_module.py\n"


@needs_git
def test_git_ref_of_a_project_in_a_subdirectory(tmp_path):
    repo = tmp_path / "repo"
    (repo / "server").mkdir(parents=True)
    git(repo, "init", "-q")
    write_files(repo / "server", V1)
    write_files(repo / "other", {"unrelated.py": "def x(): pass\n"})
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "v1")
    write_files(repo / "server", V2)
    report = check_compat(repo / "server", Config(), "HEAD")
    assert kinds(report) == V2_CHANGES
    assert {change.file for change in report.changes} <= {"app/registry.py", "app/api.py"}


@needs_git
def test_unknown_git_ref(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    commit_tree(repo, V1, "v1")
    with pytest.raises(ConfigError) as excinfo:
        check_compat(repo, Config(), "no-such-branch")
    message = one_line_error(excinfo)
    assert "'no-such-branch' is not a directory, a snapshot file or a git ref known in" in message
    with pytest.raises(ConfigError) as excinfo:
        check_compat(repo, Config(), "--output=/tmp/x")
    one_line_error(excinfo)


@needs_git
def test_project_directory_missing_at_the_ref(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    commit_tree(repo, {"README.py": "X = 1\n"}, "v0")
    write_files(repo / "server", V2)
    with pytest.raises(ConfigError) as excinfo:
        check_compat(repo / "server", Config(), "HEAD")
    assert "server did not exist at git ref 'HEAD'" in one_line_error(excinfo)


@needs_git
def test_reading_a_git_ref_closes_the_pipes_of_git_archive(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    commit_tree(repo, V1, "v1")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        check_compat(repo, Config(), "HEAD")
        with pytest.raises(ConfigError):
            check_compat(repo / "app", Config(), "HEAD~5")
        gc.collect()  # an unclosed pipe warns when it is collected
    assert [str(warning.message) for warning in caught if warning.category is ResourceWarning] == []


# -- never import the analysed code ------------------------------------------------------------


def test_the_analysed_code_is_never_imported(make_tree, tmp_path):
    marker = tmp_path / "IMPORTED"
    bomb = f"from pathlib import Path\nPath({str(marker)!r}).write_text('imported')\nraise SystemExit(3)\n"
    files = {**V1, "app/__init__.py": bomb, "app/bomb.py": bomb, "toplevel_bomb.py": bomb,
             "nsdir/inner/bomb.py": bomb, "app/plugin_base.pyi": "def stub() -> None: ...\n"}
    old, new = make_tree("v1", files), make_tree("v2", {**files, "app/registry.py": V2["app/registry.py"]})
    snapshot = tmp_path / "snap.json"
    write_snapshot(load_surface(old, Config()), snapshot)
    assert check_compat(new, Config(), str(old)).changes
    assert check_compat(new, Config(), str(snapshot)).changes
    assert not marker.exists()
