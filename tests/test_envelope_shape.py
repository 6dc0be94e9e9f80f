"""GOV408 beyond the functional fixtures: one finding per missing field, the shape analysis
of `analysis.dict_shape` on its own, and robustness on real code."""

from __future__ import annotations

import ast
import sysconfig
import textwrap
from pathlib import Path

import pytest

from flake8_phase12.analysis.dict_shape import LEAF, OPAQUE, FunctionShapes, Presence, Shape, field_presence
from flake8_phase12.config import config_from_mapping
from flake8_phase12.lint_file import check_file
from flake8_phase12.rules.envelope_shape import EnvelopeShapeCheck

ROOT = Path("/phase12-unit-project")
ENVELOPE_PATH = "server/app/error_envelope.py"
FIELDS = ("error.type", "error.message", "error.details", "error.plugin", "error.timestamp",
          "_internal.traceback")


def findings(source: str, table: dict | None = None, path: str = ENVELOPE_PATH):
    source = textwrap.dedent(source)
    config = config_from_mapping(table or {}, project_root=ROOT)
    return check_file(ast.parse(source), str(ROOT / path), config, source,
                      checks=(EnvelopeShapeCheck(),))


def missing(source: str, **kwargs) -> list[tuple[int, str]]:
    """(line, field) for every finding, the field read back from the message."""
    found = []
    for finding in findings(source, **kwargs):
        field = finding.message.split("has no `", 1)[1].split("`", 1)[0]
        found.append((finding.line, field))
    return found


def returned_presence(source: str) -> list[dict[str, Presence]]:
    """Field presence for each `return` of the module's last function."""
    module = ast.parse(textwrap.dedent(source))
    follow = {node.name: node for node in module.body if isinstance(node, ast.FunctionDef)}
    function = module.body[-1]
    return [{name: field_presence(returned.value, name) for name in FIELDS}
            for returned in FunctionShapes(function, follow).returns()]


def test_one_finding_per_missing_field_with_a_message_that_says_how_to_fix_it():
    found = findings("""
        def build_error_envelope(exc, plugin_name):
            return {"error": {"type": "E", "message": str(exc)}}
    """)
    assert [finding.line for finding in found] == [3, 3, 3, 3]
    assert {finding.message.split("`")[3] for finding in found} == {
        "error.details", "error.plugin", "error.timestamp", "_internal.traceback"}
    assert found[0].message.startswith(
        "GOV408 the error envelope returned by `build_error_envelope` has no `error.details` "
        "field; add it")


def test_each_return_is_judged_on_its_own():
    assert missing("""
        def build_error_envelope(exc, plugin_name, internal=True):
            error = {"type": "E", "message": "m", "details": {}, "plugin": plugin_name,
                     "timestamp": 0}
            if not internal:
                return {"error": error}
            return {"error": error, "_internal": {"traceback": ""}}
    """) == [(6, "_internal.traceback")]


def test_the_fields_and_names_are_configurable():
    table = {"envelope": {"function": "make_error_response", "module": "app.errors",
                          "fields": ["error.code"]}}
    source = """
        def make_error_response(exc):
            return {"error": {"message": str(exc)}}
    """
    assert missing(source, table=table, path="src/app/errors.py") == [(3, "error.code")]
    assert missing(source, table={"envelope": {"fields": []}}) == []


def test_an_early_return_none_is_not_an_envelope_attempt():
    assert missing("""
        def build_error_envelope(exc, plugin_name):
            if exc is None:
                return None
            return make(exc)
    """) == []


def test_a_method_of_a_class_in_the_envelope_module_is_checked():
    assert missing("""
        class Envelopes:
            def build_error_envelope(self, exc, plugin_name):
                return dict(error=dict(type="E", message="m", details={}, plugin=plugin_name,
                                       timestamp=0))
    """) == [(4, "_internal.traceback")]


PRESENT, MISSING, UNKNOWN = Presence.PRESENT, Presence.MISSING, Presence.UNKNOWN


@pytest.mark.parametrize(("body", "expected"), [
    # a literal
    ('return {"error": {"type": 1}}',
     {"error.type": PRESENT, "error.message": MISSING, "_internal.traceback": MISSING}),
    # a non-dict value where a dict is needed
    ('return {"error": "boom", "_internal": {}}',
     {"error.type": MISSING, "_internal.traceback": MISSING}),
    # values we cannot read
    ('return {"error": make_error(exc), "_internal": tb}',
     {"error.type": UNKNOWN, "_internal.traceback": UNKNOWN}),
    # unpacking an unknown mapping opens the dict
    ('return {**base, "error": {"type": 1}}',
     {"error.message": MISSING, "_internal.traceback": UNKNOWN}),
    # computed keys
    ('return {key: 1 for key in keys}', {"error.type": UNKNOWN}),
    # merge operator
    ('return {"error": {"type": 1}} | {"_internal": {"traceback": 2}}',
     {"error.type": PRESENT, "_internal.traceback": PRESENT, "error.message": MISSING}),
])
def test_presence_in_returned_literals(body, expected):
    [presence] = returned_presence(f"def build(exc, base, keys):\n    {body}\n")
    for name, value in expected.items():
        assert presence[name] is value, name


def test_mutation_through_an_alias_is_seen_by_the_envelope():
    [presence] = returned_presence("""
        def build(exc):
            error = {}
            envelope = {"error": error, "_internal": {}}
            error["type"] = "E"
            envelope["_internal"]["traceback"] = ""
            return envelope
    """)
    assert presence["error.type"] is Presence.PRESENT
    assert presence["_internal.traceback"] is Presence.PRESENT
    assert presence["error.message"] is Presence.MISSING


def test_a_dict_handed_to_another_function_may_be_filled_there():
    [presence] = returned_presence("""
        def build(exc):
            envelope = {"error": {}, "_internal": {}}
            add_traceback(envelope, exc)
            logger.debug("envelope %s", envelope)
            return envelope
    """)
    assert set(presence.values()) == {Presence.UNKNOWN}


def test_a_dict_only_logged_stays_closed():
    [presence] = returned_presence("""
        def build(exc):
            envelope = {"error": {}}
            logger.debug("envelope %s", envelope)
            return envelope
    """)
    assert presence["error.type"] is Presence.MISSING


def test_deleting_or_popping_keys_opens_the_dict():
    [presence] = returned_presence("""
        def build(exc):
            envelope = {"error": {"type": 1}, "_internal": {"traceback": 1}}
            envelope["error"].pop("type")
            del envelope["_internal"]["traceback"]
            return envelope
    """)
    assert presence["error.message"] is Presence.UNKNOWN
    assert presence["error.plugin"] is Presence.UNKNOWN


def returned_value(source: str, name: str):
    """The shape analysis's value of the one `return` of the module's function `name`."""
    function = next(node for node in ast.parse(textwrap.dedent(source)).body
                    if isinstance(node, ast.FunctionDef) and node.name == name)
    [returned] = FunctionShapes(function).returns()
    return returned.value


def test_what_cannot_be_read_is_kept_apart_from_keys_the_source_computes():
    """What the project model's facts store for compat (GOV804): the mappings merged in as
    written, which it follows into other modules, and whether a key is computed."""
    source = """
        def merged(base, extra, name):
            envelope = {**base(), "error": {}}
            envelope.update(extra)
            envelope.setdefault(name, 1)
            return envelope

        def computed(extra):
            return {key: 1 for key in extra}
    """
    shape = returned_value(source, "merged")
    assert set(shape.keys) == {"error"} and shape.open and shape.computed
    assert [ast.unparse(node) for node in shape.sources] == ["base()", "extra"]
    shape = returned_value(source, "computed")
    assert shape.computed and not shape.keys and not shape.sources


def test_a_variable_given_keys_is_a_dict_of_what_it_was_assigned_in_any_order():
    source = """
        def card(entry):
            card = entry.describe()
            card["error"] = {"type": "E"}
            return card

        def later(other, flag):
            reply = {}
            reply["a"] = 1
            if flag:
                reply = other.cached()
            return reply

        def a_set(other):
            found = set()
            found.update(other)
            return found
    """
    shape = returned_value(source, "card")
    assert [ast.unparse(node) for node in shape.sources] == ["entry.describe()"]
    assert field_presence(shape, "error.message") is Presence.MISSING
    assert field_presence(shape, "_internal.traceback") is Presence.UNKNOWN
    shape = returned_value(source, "later")
    assert set(shape.keys) == {"a"} and [ast.unparse(node) for node in shape.sources] == ["other.cached()"]
    # `update` of what cannot be read stores no key: no evidence of a dict.
    assert returned_value(source, "a_set") is OPAQUE


def test_a_helper_of_the_same_module_is_followed():
    [presence] = returned_presence("""
        def _error(exc):
            return {"type": "E", "message": str(exc)}


        def build(exc):
            return {"error": _error(exc), "_internal": {"traceback": ""}}
    """)
    assert presence["error.type"] is Presence.PRESENT
    assert presence["error.plugin"] is Presence.MISSING


def test_recursive_helpers_terminate_and_say_nothing():
    presences = returned_presence("""
        def ping(exc):
            return pong(exc)


        def pong(exc):
            return ping(exc)


        def build(exc):
            if exc.__cause__ is not None:
                return build(exc.__cause__)
            return ping(exc)
    """)
    assert len(presences) == 2
    assert {value for presence in presences for value in presence.values()} == {Presence.UNKNOWN}


def test_field_presence_on_plain_values():
    assert field_presence(OPAQUE, "error.type") is Presence.UNKNOWN
    assert field_presence(LEAF, "error.type") is Presence.MISSING
    assert field_presence(Shape(is_open=True), "error.type") is Presence.UNKNOWN
    assert field_presence(Shape(keys={"error": Shape(keys={"type": LEAF})}), "error.type") \
        is Presence.PRESENT


def test_every_function_of_the_standard_library_is_read_without_error():
    root = Path(sysconfig.get_paths()["stdlib"])
    read = 0
    for path in sorted(root.glob("*.py"))[:40]:
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (SyntaxError, UnicodeDecodeError):
            continue
        follow = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for returned in FunctionShapes(node, follow).returns():
                    for name in FIELDS:
                        field_presence(returned.value, name)
                read += 1
    assert read > 400


# --- the plugin's identity, read from the builder's plugin field ------------------------------

def test_an_exception_read_by_getattr_holds_the_identity_and_is_not_taken_for_it():
    # `rule or getattr(exc, "rule", None)`: `rule` is the identity; `exc` only holds one. The
    # call leaves `rule` out; the status in second place is not passed "in its place".
    [finding] = findings("""
        import traceback

        def build_error_envelope(exc, status=500, rule=None):
            return {
                "error": {"type": type(exc).__name__, "message": str(exc), "details": {},
                          "plugin": rule or getattr(exc, "rule", None), "timestamp": ""},
                "_internal": {"traceback": traceback.format_exc()},
            }

        class ToolRunner:
            def run(self, plugin_name, payload):
                try:
                    validate_input_payload(payload)
                    plugin = self._registry.get(plugin_name)
                    return validate_plugin_output(plugin.run(payload))
                except Exception as exc:
                    return build_error_envelope(exc, 400)
                finally:
                    self._registry.update_execution_metrics(plugin_name)
    """, path="server/app/services/tool_runner.py")
    assert "the call leaves out the plugin's identity; pass `plugin_name`" in finding.message
