"""Changed signatures (GOV803), judged with griffe's rules, and the additive changes that are fine."""

from __future__ import annotations

import pytest

from flake8_phase12.compat.model import Param
from flake8_phase12.compat.signatures import compare_parameters

OLD = """
class PluginManagementService:
    def execute_plugin(self, name, payload, timeout=30, *, trace=False):
        pass


def analyze(image, mime="image/png"):
    pass
"""


def service(signature: str) -> dict[str, str]:
    return {"svc.py": OLD.replace("(self, name, payload, timeout=30, *, trace=False)", signature)}


@pytest.mark.parametrize(("signature", "kind", "fragment"), [
    ("(self, name, timeout=30, *, trace=False)", "parameter-removed", "parameter 'payload' was removed"),
    ("(self, name, data, timeout=30, *, trace=False)", "parameter-renamed",
     "'payload' was renamed (payload -> data)"),
    ("(self, name, payload, timeout, *, trace=False)", "parameter-required", "'timeout' lost its default"),
    ("(self, name, payload, timeout=30, *, trace=False, tenant)", "parameter-added-required",
     "new parameter 'tenant'"),
    ("(self, name, payload, *, timeout=30, trace=False)", "parameter-kind-changed",
     "'timeout' changed from positional or keyword to keyword-only"),
    ("(self, name, payload, timeout=60, *, trace=False)", "default-changed", "changed from 30 to 60"),
    ("(self, name, payload, timeout=30, *, trace=True)", "default-changed", "changed from False to True"),
])
def test_each_kind_of_signature_change(compat_changes, signature, kind, fragment):
    changes = compat_changes(service("(self, name, payload, timeout=30, *, trace=False)"), service(signature))
    assert [(c.code, c.kind, c.object_path) for c in changes] == [
        ("GOV803", kind, "svc.PluginManagementService.execute_plugin")]
    assert fragment in changes[0].message
    assert changes[0].message.startswith(
        "method svc.PluginManagementService.execute_plugin changed incompatibly")
    assert changes[0].old == "(name, payload, timeout=30, *, trace=False)"
    assert changes[0].line == 2 and changes[0].file == "svc.py"


def test_reordered_positional_parameters(compat_summary):
    old = service("(self, name, payload, timeout=30, *, trace=False)")
    new = service("(self, payload, name, timeout=30, *, trace=False)")
    assert compat_summary(old, new) == [
        ("GOV803", "parameter-moved", "svc.PluginManagementService.execute_plugin"),
        ("GOV803", "parameter-moved", "svc.PluginManagementService.execute_plugin"),
    ]


@pytest.mark.parametrize("signature", [
    "(self, name, payload, timeout=30, retries=3, *, trace=False)",  # new optional positional at the end
    "(self, name, payload, timeout=30, *, trace=False, tenant=None)",  # new optional keyword-only
    "(self, name, payload, timeout=30, *args, trace=False, **kwargs)",  # new variadics
    "(self, name, payload, /, timeout=30, *, trace=False)".replace("/, ", ""),  # unchanged
])
def test_additive_signature_changes_are_fine(compat_summary, signature):
    old = service("(self, name, payload, timeout=30, *, trace=False)")
    assert compat_summary(old, service(signature)) == []


def test_removed_keyword_only_parameter_swallowed_by_kwargs_is_fine(compat_summary):
    """griffe's rule: **kwargs still accepts `trace=...` from Phase 11 callers."""
    assert compat_summary(service("(self, name, payload, timeout=30, *, trace=False)"),
                          service("(self, name, payload, timeout=30, **options)")) == []


def test_function_signature_and_annotations(compat_summary):
    old = {"api.py": "def analyze(image, mime='image/png'):\n    pass\n"}
    annotated = {"api.py": "def analyze(image: bytes, mime: str = 'image/png') -> dict:\n    pass\n"}
    assert compat_summary(old, annotated) == []


def test_becoming_async_is_a_change(compat_changes):
    old = {"api.py": "def analyze(image):\n    pass\n"}
    new = {"api.py": "async def analyze(image):\n    pass\n"}
    changes = compat_changes(old, new)
    assert [(c.code, c.kind) for c in changes] == [("GOV803", "async-changed")]
    assert changes[0].old == "def analyze(image)" and changes[0].new == "async def analyze(image)"


def test_method_to_staticmethod_with_the_same_call_is_fine(compat_summary):
    old = {"m.py": "class Codec:\n    def decode(self, data):\n        pass\n"}
    new = {"m.py": "class Codec:\n    @staticmethod\n    def decode(data):\n        pass\n"}
    assert compat_summary(old, new) == []


def test_function_turned_into_a_constant(compat_summary):
    old = {"m.py": "def timeout():\n    return 3\n"}
    new = {"m.py": "timeout = 3\n"}
    assert compat_summary(old, new) == [("GOV803", "kind-changed", "m.timeout")]


def test_optional_parameter_inserted_mid_way_breaks_positional_callers(compat_summary):
    old = {"m.py": "def run(name, timeout=5):\n    pass\n"}
    new = {"m.py": "def run(name, retries=0, timeout=5):\n    pass\n"}
    assert compat_summary(old, new) == [("GOV803", "parameter-moved", "m.run")]


def test_constructor_signature_is_compared(compat_summary):
    body = "\n        self.registry = registry\n"
    old = {"m.py": "class Runner:\n    def __init__(self, registry, timeout=5):" + body}
    new = {"m.py": "class Runner:\n    def __init__(self, registry, validator, timeout=5):" + body}
    # The shift of `timeout` is a consequence of the new required parameter: reported once.
    assert compat_summary(old, new) == [("GOV803", "parameter-added-required", "m.Runner.__init__")]


PK = "positional or keyword"


def test_compare_parameters_directly():
    old = (Param("a", PK), Param("b", PK, "1"))
    assert compare_parameters(old, (Param("a", PK), Param("b", PK, "1"), Param("c", PK, "None"))) == []
    renamed = compare_parameters(old, (Param("a", PK), Param("x", PK, "1")))
    assert [(change.kind, change.parameter, change.new) for change in renamed] == [
        ("parameter-renamed", "b", "x=1")]
    assert [change.kind for change in compare_parameters(old, (Param("a", PK), Param("b", PK)))] == [
        "parameter-required"]
