"""The chain layer of definitions and of what a file's expressions reach (`model.chain`), on a
small harbour whose layers hold each other under names no configuration knows."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from flake8_phase12.config.loader import config_from_mapping
from flake8_phase12.model.chain import Chain
from flake8_phase12.model.objects import FileObjects
from flake8_phase12.model.project import ProjectModel, Ref

CONFIG = config_from_mapping({
    "services": {
        "analysis": {"class": "", "module": "harbor.office.desk"},
        "job_management": {"class": "Berths", "module": "harbor.dock.berths"},
        "plugin_management": {"class": "Crane", "module": "harbor.cranes.crane"},
    },
    "runner": {"module": "harbor.engine.winch", "class": "Winch", "method": "haul"},
    "layers": {"chain": ["harbor.api.*", "harbor.office.desk", "harbor.dock.berths",
                         "harbor.cranes.crane", "harbor.engine.winch"]},
})

HARBOR = {
    "pyproject.toml": "[tool.phase12]\n",
    "harbor/__init__.py": "",
    "harbor/engine/__init__.py": "",
    "harbor/engine/winch.py": """
        class Winch:
            def haul(self, load): return load
        """,
    "harbor/cranes/__init__.py": "",
    "harbor/cranes/crane.py": """
        from harbor.engine.winch import Winch

        class Jammed(RuntimeError):
            pass

        class Crane:
            def __init__(self, motor: Winch) -> None:
                self._motor = motor

            def lift(self, load): return self._motor.haul(load)
        """,
    "harbor/dock/__init__.py": "",
    "harbor/dock/berths.py": """
        from dataclasses import dataclass
        from typing import NamedTuple

        from harbor.cranes.crane import Crane

        @dataclass(frozen=True)
        class Manifest:
            cargo: str

        class Slot(NamedTuple):
            number: int

        class Berths:
            def __init__(self, crane: Crane) -> None:
                self._arm = crane

            def moor(self, load) -> Manifest:
                return self._arm.lift(load)
        """,
    "harbor/office/__init__.py": "",
    "harbor/office/desk.py": """
        from harbor.dock.berths import Berths, Manifest
        from harbor.engine import winch

        def book(berths: Berths, load):
            manifest = Manifest(load)
            berths.moor(load)
            berths._arm.lift(load)
            winch.Winch().haul(load)
            return manifest

        def unknown(thing, load):
            return thing.moor(load)
        """,
}


@pytest.fixture
def harbor(tmp_path: Path) -> Path:
    for relative, text in HARBOR.items():
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


def chain_of(root: Path, relative: str) -> tuple[Chain, ast.Module]:
    model = ProjectModel(root)
    path = root / relative
    tree = ast.parse(path.read_text(encoding="utf-8"))
    module = model.facts_from_tree(tree, path)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    return Chain(CONFIG, FileObjects(model, module, tree, parents)), tree


def test_classes_and_functions_stand_for_the_layer_of_their_module(harbor):
    chain, _ = chain_of(harbor, "harbor/office/desk.py")
    assert chain.class_index(Ref("harbor.dock.berths", "Berths", "class")) == 2
    assert chain.class_index(Ref("harbor.cranes.crane", "Crane", "class")) == 3
    assert chain.definition_index(Ref("harbor.dock.berths", "Berths.moor", "function")) == 2
    assert chain.definition_index(Ref("harbor.office.desk", "book", "function")) == 1


def test_values_defined_beside_a_layer_are_not_the_layer(harbor):
    chain, _ = chain_of(harbor, "harbor/office/desk.py")
    for ref in (Ref("harbor.dock.berths", "Manifest", "class"),
                Ref("harbor.dock.berths", "Slot", "class"),
                Ref("harbor.cranes.crane", "Jammed", "class")):
        assert chain.class_index(ref) is None, ref


def test_calls_are_judged_by_what_the_callee_is(harbor):
    chain, tree = chain_of(harbor, "harbor/office/desk.py")
    calls = {ast.unparse(node.func): node for node in ast.walk(tree) if isinstance(node, ast.Call)}
    reached = {text: chain.callee(call) for text, call in calls.items()}
    assert reached["berths.moor"].position == 2 and reached["berths.moor"].method == "moor"
    # Through a private attribute of the berths, whatever it is called: the crane's layer.
    assert reached["berths._arm.lift"].position == 3
    assert reached["winch.Winch().haul"].position == 4
    assert reached["winch.Winch"].position == 4 and reached["winch.Winch"].method == ""
    # A value class constructed, and an object the model cannot type: nothing is said.
    assert reached["Manifest"] is None
    assert reached["thing.moor"] is None


def test_what_an_expression_holds(harbor):
    chain, tree = chain_of(harbor, "harbor/office/desk.py")
    attribute = next(node for node in ast.walk(tree)
                     if isinstance(node, ast.Attribute) and node.attr == "_arm")
    held = chain.holds(attribute, attribute)
    assert held is not None and held.position == 3 and held.ref.name == "Crane"
    owner = chain.holds(attribute.value, attribute)
    assert owner is not None and owner.position == 2
