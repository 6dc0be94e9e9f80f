"""`flake8_phase12.records.Record`: the NamedTuple replacement the configuration model, the rule
catalog and the analysis records are built on. It must behave as a NamedTuple does."""

from __future__ import annotations

import copy
import pickle
from typing import ClassVar

import pytest

from flake8_phase12.config.model import Config, ServiceConfig
from flake8_phase12.records import Record


class Point(Record):
    x: int
    y: int = 0
    label: str = ""
    unit: ClassVar[str] = "px"  # a class variable, not a field
    __test__ = False  # not annotated: not a field

    @property
    def size(self) -> int:
        return abs(self.x) + abs(self.y)


def test_fields_defaults_and_access():
    point = Point(1, label="a")
    assert Point._fields == ("x", "y", "label")
    assert Point._field_defaults == {"y": 0, "label": ""}
    assert (point.x, point.y, point.label, point.size, Point.unit) == (1, 0, "a", 1, "px")
    assert tuple(point) == (1, 0, "a") and point[0] == 1
    x, y, label = point
    assert (x, y, label) == (1, 0, "a")
    assert repr(point) == "Point(x=1, y=0, label='a')"
    assert point._asdict() == {"x": 1, "y": 0, "label": "a"}


def test_immutable_hashable_and_ordered():
    point = Point(1)
    with pytest.raises(AttributeError):
        point.x = 2  # type: ignore[misc]
    assert not hasattr(point, "__dict__")
    assert point == Point(1, 0, "") and hash(point) == hash(Point(x=1))
    assert sorted([Point(2), Point(1, 5)]) == [Point(1, 5), Point(2)]


def test_replace_pickle_and_copy_keep_the_type():
    point = Point(1, 2, "a")
    assert point._replace(y=3) == Point(1, 3, "a") and type(point._replace(y=3)) is Point
    for clone in (pickle.loads(pickle.dumps(point)), copy.copy(point), copy.deepcopy(point)):
        assert clone == point and type(clone) is Point


@pytest.mark.parametrize(("make", "message"), [
    (lambda: Point(), "missing argument 'x'"),
    (lambda: Point(1, 2, "a", 4), "takes 3 arguments, got 4"),
    (lambda: Point(1, x=2), "got multiple values for 'x'"),
    (lambda: Point(1, z=2), "has no field 'z'"),
    (lambda: Point(1)._replace(z=2), "has no field 'z'"),
])
def test_wrong_arguments_are_type_errors(make, message):
    with pytest.raises(TypeError, match=message):
        make()


def test_a_field_without_default_cannot_follow_defaults():
    with pytest.raises(TypeError, match="field 'b' without a default"):
        class Broken(Record):  # noqa: F841 - defining it is the test
            a: int = 0
            b: int


def test_the_configuration_model_is_made_of_records():
    config = Config()
    assert isinstance(config, Record) and isinstance(config.services.analysis, ServiceConfig)
    assert config.runner.class_name == "ToolRunner"
    assert pickle.loads(pickle.dumps(config)) == config


def test_records_work_when_python_drops_the_private_accessor():
    """`collections._tuplegetter` is private: without it the module falls back to
    `operator.itemgetter` accessors, and records behave the same."""
    import subprocess
    import sys
    import textwrap

    code = textwrap.dedent("""
        import collections
        del collections._tuplegetter
        from flake8_phase12.records import Record

        class Pair(Record):
            left: int
            right: str = "r"

        pair = Pair(1)
        assert (pair.left, pair.right, tuple(pair)) == (1, "r", (1, "r"))
        assert pair._replace(right="x") == Pair(1, "x")
        try:
            pair.left = 2
        except AttributeError:
            print("immutable")
        print(type(Pair.__dict__["left"]).__name__)
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["immutable", "property"]
