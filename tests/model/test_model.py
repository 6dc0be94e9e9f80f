"""The project model on small multi-module projects written for these tests."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from flake8_phase12.model import queries, store
from flake8_phase12.model import facts
from flake8_phase12.model.project import ProjectModel, Ref
from flake8_phase12.model.roots import module_name, source_roots


def write(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


# -- source roots -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("pyproject", "root"), [
    ('[tool.pytest.ini_options]\npythonpath = ["server"]\n', "server"),
    ('[tool.setuptools.packages.find]\nwhere = ["lib"]\n', "lib"),
    ('[tool.setuptools]\npackage-dir = {"" = "code"}\n', "code"),
    ('[tool.poetry]\npackages = [{include = "shop", from = "backend"}]\n', "backend"),
    ('[tool.importlinter]\nroot_packages = ["shop"]\n', "deep/er"),
    ("", "src"),
])
def test_source_roots_come_from_the_project_settings(tmp_path, pyproject, root):
    write(tmp_path, {"pyproject.toml": pyproject, f"{root}/shop/__init__.py": "",
                     f"{root}/shop/core.py": "X = 1\n"})
    roots = source_roots(tmp_path)
    assert roots[0] == (tmp_path / root).resolve() and roots[-1] == tmp_path.resolve()
    assert module_name(tmp_path / root / "shop" / "core.py", roots) == "shop.core"


def test_source_root_settings_are_read_from_the_disk_cache_without_a_toml_parser(tmp_path, monkeypatch):
    """An editor's flake8 start asks the model for the roots: the settings that name them are
    stored with [tool.phase12], so the second start parses no TOML and finds the same roots."""
    monkeypatch.setenv("PHASE12_CACHE_DIR", str(tmp_path / "cache"))
    write(tmp_path, {
        "pyproject.toml": '[project]\nname = "shop"\n[tool.phase12]\nrunner_class = "Runner"\n'
                          '[tool.hatch.build.targets.wheel]\npackages = ["lib/shop"]\n'
                          '[tool.pytest.ini_options]\npythonpath = ["server"]\naddopts = "-q"\n',
        "lib/shop/__init__.py": "", "server/api/__init__.py": ""})
    script = ("import sys; from pathlib import Path; from flake8_phase12.model.roots import source_roots; "
              f"print([p.name for p in source_roots(Path({str(tmp_path)!r}))], 'tomllib' in sys.modules)")
    runs = [subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                           env=dict(os.environ)).stdout.strip() for _ in range(2)]
    roots = [(tmp_path / "server").name, (tmp_path / "lib").name, tmp_path.name]
    assert runs == [f"{roots} True", f"{roots} False"]


def test_a_folder_holding_an_imported_package_is_a_root(tmp_path):
    write(tmp_path, {"service/shop/__init__.py": "", "service/shop/core.py": "X = 1\n"})
    roots = source_roots(tmp_path, {}, imported_packages=["shop", "fastapi"])
    assert roots == [(tmp_path / "service").resolve(), tmp_path.resolve()]


# -- resolving names across modules -----------------------------------------------------------------

SHOP = {
    "pyproject.toml": '[tool.pytest.ini_options]\npythonpath = ["app"]\n',
    "app/shop/__init__.py": "from shop.tools.base import Tool as Tool\n",
    "app/shop/tools/__init__.py": "",
    "app/shop/tools/base.py": """
        from abc import ABC

        class Tool(ABC):
            def use(self, item): ...
        """,
    "app/shop/tools/hammer.py": """
        from .. import Tool
        from . import base

        class Hammer(Tool):
            def use(self, item):
                return item

        class Mallet(Hammer):
            pass

        class Odd(base.Tool, metaclass=type):
            pass
        """,
    "app/shop/deps.py": """
        from typing import Annotated, Optional
        from fastapi import Depends
        from shop.service import Counter

        def get_counter() -> Counter:
            return Counter()

        CounterDep = Annotated[Counter, Depends(get_counter)]
        MaybeCounter = Optional["Counter"]
        """,
    "app/shop/service.py": """
        from shop.tools.hammer import Hammer, Mallet
        from shop.tools.base import Tool

        class Box:
            def pick(self) -> Tool:
                return Hammer()

            def all(self) -> list[Tool]:
                return [Hammer()]

        class Counter:
            def __init__(self, box: Box | None = None, spare=None) -> None:
                self._box = box or Box()
                self._spare = spare if spare is not None else Mallet()
                self.count = 0

        def hit(tool, item):
            return tool.use(item)

        def hit_later(tool, item):
            return run_soon(hit, tool, item)

        def look(tool):
            return callable(tool.use)

        def run_soon(function, *args):
            return function(*args)
        """,
    "app/shop/routes.py": """
        from fastapi import APIRouter
        from shop.deps import CounterDep

        router = APIRouter(prefix="/shop")

        @router.post("/hit")
        def hit_route(counter: CounterDep) -> dict:
            return {"count": counter.count, "ok": True}

        @router.api_route("/both", methods=["GET", "PUT"])
        async def both() -> tuple:
            return 1, 2
        """,
}


@pytest.fixture
def shop(tmp_path) -> ProjectModel:
    return ProjectModel(write(tmp_path, SHOP))


def test_names_resolve_through_relative_imports_and_re_exports(shop):
    hammer = shop.module("shop.tools.hammer")
    assert shop.resolve(hammer, "Tool") == Ref("shop.tools.base", "Tool", "class")
    assert shop.resolve(hammer, "base.Tool") == Ref("shop.tools.base", "Tool", "class")
    assert shop.resolve_dotted("shop.Tool") == Ref("shop.tools.base", "Tool", "class")
    assert shop.resolve_dotted("shop.tools.hammer.Hammer.use") == \
        Ref("shop.tools.hammer", "Hammer.use", "function")
    assert shop.resolve(hammer, "nothing_here") is None


def test_ancestry_crosses_modules_and_knows_what_it_cannot_read(shop):
    mallet = Ref("shop.tools.hammer", "Mallet", "class")
    assert shop.ancestors(mallet)[:2] == [Ref("shop.tools.hammer", "Hammer", "class"),
                                          Ref("shop.tools.base", "Tool", "class")]
    assert shop.derives_from(mallet, ["Tool"]) is True
    assert shop.derives_from(mallet, ["shop.tools.base.Tool"]) is True
    assert shop.derives_from(mallet, ["other.Tool"]) is False
    assert shop.derives_from(Ref("shop.tools.base", "Tool", "class"), ["Tool"]) is False
    assert shop.derives_from(Ref("shop.tools.base", "Tool", "class"), ["Tool"], itself=True) is True
    assert queries.subclasses(shop, ["Tool"]) == [Ref("shop.tools.hammer", "Hammer", "class"),
                                                  Ref("shop.tools.hammer", "Mallet", "class"),
                                                  Ref("shop.tools.hammer", "Odd", "class")]


def test_annotations_aliases_and_annotated_dependencies(shop):
    routes = shop.module("shop.routes")
    counter = Ref("shop.service", "Counter", "class")
    [(found, dependencies)] = shop.annotation_parts(routes, "CounterDep")
    assert found == counter
    assert [(call.callee, call.args) for call in dependencies] == [("Depends", ("get_counter",))]
    assert shop.annotation_classes(shop.module("shop.deps"), "MaybeCounter") == [counter]


def test_what_attributes_hold_from_the_constructor(shop):
    counter = Ref("shop.service", "Counter", "class")
    assert shop.attribute_classes(counter, "_box") == [Ref("shop.service", "Box", "class")]
    assert shop.attribute_classes(counter, "_spare") == [Ref("shop.tools.hammer", "Mallet", "class")]
    assert shop.attribute_classes(counter, "count") == []


def test_functions_that_execute_their_parameters(shop):
    methods = ("use",)
    assert shop.executed_parameters(Ref("shop.service", "hit", "function"), methods) == {
        "tool": ("tool.use(...)",)}
    assert shop.executed_parameters(Ref("shop.service", "hit_later", "function"), methods) == {}
    assert shop.executed_parameters(Ref("shop.service", "look", "function"), methods) == {}


def test_routes_and_return_shapes(shop):
    routes = shop.module("shop.routes")
    assert [(route.handler, route.methods, route.path, route.router) for route in routes.routes] == [
        ("hit_route", ("POST",), "/hit", "router"), ("both", ("GET", "PUT"), "/both", "router")]
    assert dict(routes.router_prefixes) == {"router": "/shop"}
    shapes = {function.qualname: function.returned for function in routes.functions}
    assert shapes["hit_route"][0].keys == ("count", "ok")
    assert shapes["both"][0].items == ("1", "2")


def test_returned_dicts_are_read_by_the_shape_analysis_only_where_a_return_may_be_one(monkeypatch):
    """One reading of returned dicts for the facts and the envelope rule (`analysis.dict_shape`),
    over the nodes the facts' walk collected, and only for functions that may return a dict."""
    source = textwrap.dedent("""
        def view(entry, name, more):
            card = entry.describe()
            card["listed"] = True
            card[name] = 1
            card |= more
            return card

        def count(items):
            total = {}
            total["n"] = len(items)
            return len(total)

        def each(items):
            return {item: 1 for item in items}
        """)
    read = []
    shapes = facts.FunctionShapes
    monkeypatch.setattr(facts, "FunctionShapes",
                        lambda function, **kwargs: read.append(function.name) or shapes(function, **kwargs))
    view, count, each = facts.extract(ast.parse(source), "m", "m.py", False).functions
    assert view.returned == (
        facts.Returned("dict", "card", ("listed", "**"), ("entry.describe()", "more"), 7),)
    assert [returned.kind for returned in count.returned] == ["call"]
    assert each.returned == (facts.Returned("dict", "", ("**",), (), 15),)
    assert read == ["view", "each"]


def test_a_returned_expression_too_deep_to_read_as_a_dict_leaves_the_other_facts():
    """The shape analysis recurses into `a | b`; a machine-made chain of them is read as the
    expression it is, and the module keeps its facts (the walks of the facts do not recurse)."""
    source = "def merged(a):\n    return " + " | ".join(["a"] * 1500) + "\n\n" \
        "def plain():\n    return {'k': 1}\n"
    merged, plain = facts.extract(ast.parse(source), "m", "m.py", False).functions
    assert [returned.kind for returned in merged.returned] == ["other"]
    assert plain.returned == (facts.Returned("dict", "", ("k",), (), 5),)


def test_constructions_are_found_wherever_they_are(shop):
    found = [(module.name, function.qualname) for module, function, _ in
             queries.constructions(shop, Ref("shop.tools.hammer", "Hammer", "class"))]
    assert found == [("shop.service", "Box.pick"), ("shop.service", "Box.all")]


# -- the disk store ---------------------------------------------------------------------------------

def test_facts_are_stored_and_read_back_until_the_file_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("PHASE12_CACHE_DIR", str(tmp_path / "cache"))
    root = write(tmp_path / "project", SHOP)
    first = ProjectModel(root).module("shop.service")
    path = root / "app" / "shop" / "service.py"
    status = path.stat()
    assert store.load(str(path.resolve()), status.st_size, status.st_mtime_ns) == first
    path.write_text(path.read_text(encoding="utf-8") + "\nclass Later:\n    pass\n", encoding="utf-8")
    later = time.time() + 5
    os.utime(path, (later, later))
    again = ProjectModel(root).module("shop.service")
    assert [cls.qualname for cls in again.classes] == ["Box", "Counter", "Later"]


def test_the_checked_file_s_facts_come_from_the_store_only_when_its_text_is_the_saved_file(
        tmp_path, monkeypatch):
    """flake8 hands the plugin a tree and its text: when that text is the file on disk, the
    facts are stored and read back (a second run extracts nothing); an editor's unsaved buffer
    is read from its own tree and stores nothing."""
    monkeypatch.setenv("PHASE12_CACHE_DIR", str(tmp_path / "cache"))
    root = write(tmp_path / "project", SHOP)
    path = root / "app" / "shop" / "service.py"
    saved = path.read_text(encoding="utf-8")
    status = path.stat()
    first = ProjectModel(root).facts_from_tree(ast.parse(saved), path, source=saved)
    assert store.load(str(path.resolve()), status.st_size, status.st_mtime_ns) == first
    calls = []
    monkeypatch.setattr("flake8_phase12.model.project.extract",
                        lambda *args: calls.append(args) or facts.extract(*args))
    assert ProjectModel(root).facts_from_tree(ast.parse(saved), path, source=saved) == first
    assert not calls
    buffer = saved + "\nclass Unsaved:\n    pass\n"
    unsaved = ProjectModel(root).facts_from_tree(ast.parse(buffer), path, source=buffer)
    assert "Unsaved" in [cls.qualname for cls in unsaved.classes] and len(calls) == 1
    assert store.load(str(path.resolve()), status.st_size, status.st_mtime_ns) == first


def test_stored_facts_are_placed_under_the_root_of_the_model_that_reads_them(tmp_path, monkeypatch):
    monkeypatch.setenv("PHASE12_CACHE_DIR", str(tmp_path / "cache"))
    root = write(tmp_path / "project", SHOP)
    assert ProjectModel(root).module("shop.service").path == "app/shop/service.py"
    inner = ProjectModel(root / "app")  # flake8 run from the source root, the same file stored
    assert inner.module("shop.service").path == "shop/service.py"


def test_a_tree_read_without_the_store_leaves_no_entry(tmp_path, monkeypatch):
    monkeypatch.setenv("PHASE12_CACHE_DIR", str(tmp_path / "cache"))
    root = write(tmp_path / "project", SHOP)
    assert ProjectModel(root, cache=False).module("shop.service") is not None
    assert not (tmp_path / "cache").exists()


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions and symbolic links")
def test_the_store_keeps_the_configuration_caches_trust_rules(tmp_path, monkeypatch):
    monkeypatch.setenv("PHASE12_CACHE_DIR", str(tmp_path / "cache"))
    root = write(tmp_path / "project", SHOP)
    path = (root / "app" / "shop" / "service.py").resolve()
    status = path.stat()
    facts = ProjectModel(root).module("shop.service")
    folder = tmp_path / "cache" / store.SUBDIRECTORY
    [entry] = list(folder.iterdir())
    assert entry.stat().st_mode & 0o077 == 0  # written readable by this user only
    # An entry replaced by a link to another file is not followed.
    moved = tmp_path / "elsewhere.marshal"
    entry.rename(moved)
    entry.symlink_to(moved)
    assert store.load(str(path), status.st_size, status.st_mtime_ns) is None
    entry.unlink()
    moved.rename(entry)
    assert store.load(str(path), status.st_size, status.st_mtime_ns) == facts
    # A store folder that others may write is not used, for reading or writing.
    folder.chmod(0o777)
    assert store.load(str(path), status.st_size, status.st_mtime_ns) is None
    store.save(str(path) + "-other", 1, 1, facts)
    assert len(list(folder.iterdir())) == 1


def test_a_file_that_does_not_parse_has_no_facts(tmp_path):
    root = write(tmp_path, {"pkg/__init__.py": "", "pkg/broken.py": "def f(:\n"})
    model = ProjectModel(root)
    assert model.module("pkg.broken") is None
    assert [module.name for module in model.modules()] == ["pkg"]


def test_a_package_the_code_imports_makes_its_folder_a_root(tmp_path):
    root = write(tmp_path, {"deploy/service/shop/__init__.py": "",
                            "deploy/service/shop/core.py": "class Core: ...\n",
                            "deploy/service/shop/api.py": "from shop.core import Core\n"})
    model = ProjectModel(root)
    assert model.roots == [root.resolve()]
    api = model.module("shop.api")
    assert api is not None and model.resolve(api, "Core") == Ref("shop.core", "Core", "class")
    assert model.roots == [(root / "deploy" / "service").resolve(), root.resolve()]


def test_a_file_inside_regular_packages_is_named_from_above_its_outermost_package(tmp_path):
    root = write(tmp_path, {"deploy/shop/__init__.py": "", "deploy/shop/inner/__init__.py": "",
                            "deploy/shop/inner/core.py": "from ..top import Top\n",
                            "deploy/shop/top.py": "class Top: ...\n"})
    model = ProjectModel(root)
    assert model.name_of(root / "deploy" / "shop" / "inner" / "core.py") == "shop.inner.core"
    core = model.module("shop.inner.core")
    assert model.resolve(core, "Top") == Ref("shop.top", "Top", "class")


def test_methods_are_found_along_ancestors_the_project_does_not_all_define(shop):
    hammer = Ref("shop.tools.hammer", "Hammer", "class")
    assert shop.method(hammer, "use") == Ref("shop.tools.hammer", "Hammer.use", "function")
    assert shop.method(Ref("shop.tools.hammer", "Mallet", "class"), "use") == \
        Ref("shop.tools.hammer", "Hammer.use", "function")
    assert shop.method(hammer, "__enter__") is None  # ABC's, not the project's
    assert shop.resolve_dotted("shop.tools.hammer.Odd.missing") is None


# -- facts' text of expressions ---------------------------------------------------------------------

@pytest.mark.parametrize("source", [
    "a.b.c", "f(x, *args, k=v, **kw)", "f(g(x), a[0], *b.c)", "f(x for x in y)", "f(a + b)",
    "Dict[str, List[int]]", "x[a,]", "x[1:2, ::3]", "x[-1]", "x['k']['j']", "f(*a.b)", "a + 1",
    "2 ** n", "(a + b).c", "(a + b).c(d)", "0 .real", "'-'.join(x)", "u'x' % y", "x[u'k']",
    "f(u'x')", "f().g[0].h(i)", "(c_int * 16).from_buffer(b)", "a % (b, c)", "-a.b", "not a",
    "lambda: f(x)", "a if b else c", "b'x'.decode()", "f'{x}'.strip()", "None", "1.5 * x", "f(1e999)",
])
def test_facts_write_expressions_as_ast_unparse_does(source):
    """`facts.text` writes the common shapes itself (`ast.unparse` costs most of a cold build)
    and must write exactly what `ast.unparse` writes, parentheses and prefixes included."""
    node = ast.parse(source, mode="eval").body
    assert facts.text(node) == ast.unparse(node)
