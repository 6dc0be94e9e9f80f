"""Checklist §3: plugin output is validated after execution, inside the runner's try."""

from __future__ import annotations

from collections import OrderedDict

import pytest

from server.app.validation import ValidationError, validate_plugin_output

BAD_OUTPUTS = {
    "None": None,
    "list": [1, 2, 3],
    "string": "done",
    "number": 42,
    "non-string keys": {1: "one"},
    "ad-hoc error object": {"error": "something broke"},
    "internal key": {"_internal": {}},
}


@pytest.mark.parametrize("output", BAD_OUTPUTS.values(), ids=BAD_OUTPUTS.keys())
def test_validator_rejects_bad_outputs(output):
    with pytest.raises(ValidationError):
        validate_plugin_output(output)


def test_validator_returns_a_plain_dict():
    validated = validate_plugin_output(OrderedDict(text="hi"))
    assert type(validated) is dict and validated == {"text": "hi"}


@pytest.mark.parametrize("output", BAD_OUTPUTS.values(), ids=BAD_OUTPUTS.keys())
def test_bad_output_becomes_an_error_envelope(runner, scripted, valid_payload, output):
    scripted(output)
    envelope = runner.run("scripted", valid_payload)
    assert set(envelope) == {"error", "_internal"}
    assert envelope["error"]["type"] == "ValidationError"
    assert envelope["error"]["plugin"] == "scripted"


def test_none_output_is_reported_as_missing_output(runner, scripted, valid_payload):
    scripted(None)
    envelope = runner.run("scripted", valid_payload)
    assert envelope["error"]["message"] == "plugin returned no output"


def test_non_dict_output_names_the_received_type(runner, scripted, valid_payload):
    scripted(["a", "b"])
    envelope = runner.run("scripted", valid_payload)
    assert envelope["error"]["details"] == {"received": "list"}


def test_bad_output_counts_as_a_failed_execution(runner, registry, scripted, valid_payload):
    scripted("not a dict")
    runner.run("scripted", valid_payload)
    record = registry.record("scripted")
    assert (record.success_count, record.error_count) == (0, 1)


@pytest.mark.parametrize("name", ["metadata", "motion", "ocr"])
def test_builtin_plugins_produce_valid_output(runner, valid_payload, name):
    output = runner.run(name, valid_payload)
    assert "error" not in output
    assert validate_plugin_output(output) == output
