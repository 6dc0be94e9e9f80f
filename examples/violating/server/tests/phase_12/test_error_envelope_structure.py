"""Checklist §4: the error envelope has exactly the specified structure."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from server.app.error_envelope import build_error_envelope, is_error_envelope
from server.app.validation import ValidationError


def raised(exc: BaseException) -> BaseException:
    try:
        raise exc
    except BaseException as caught:  # noqa: BLE001 - the point is to get a traceback
        return caught


def test_envelope_has_the_specified_fields():
    envelope = build_error_envelope(raised(RuntimeError("model crashed")), "ocr")
    assert set(envelope) == {"error", "_internal"}
    assert set(envelope["error"]) == {"type", "message", "details", "plugin", "timestamp"}
    assert set(envelope["_internal"]) == {"traceback"}


def test_envelope_values():
    envelope = build_error_envelope(raised(RuntimeError("model crashed")), "ocr")
    error = envelope["error"]
    assert error["type"] == "RuntimeError"
    assert error["message"] == "model crashed"
    assert error["details"] == {}
    assert error["plugin"] == "ocr"


def test_timestamp_is_iso_8601_utc():
    before = datetime.now(timezone.utc)
    envelope = build_error_envelope(raised(ValueError("x")), "motion")
    stamp = datetime.fromisoformat(envelope["error"]["timestamp"])
    assert stamp.utcoffset() is not None and stamp.utcoffset().total_seconds() == 0
    assert before <= stamp <= datetime.now(timezone.utc)


def test_traceback_names_the_exception_and_where_it_was_raised():
    traceback_text = build_error_envelope(raised(KeyError("frame")), "motion")["_internal"]["traceback"]
    assert "KeyError" in traceback_text
    assert "in raised" in traceback_text


def test_validation_details_are_carried():
    exc = ValidationError("unsupported mime_type 'x'", field="mime_type", allowed=["image/png"])
    error = build_error_envelope(exc, "ocr")["error"]
    assert error["details"] == {"field": "mime_type", "allowed": ["image/png"]}


def test_an_exception_without_a_message_gets_its_type_as_message():
    assert build_error_envelope(raised(TimeoutError()), "ocr")["error"]["message"] == "TimeoutError"


def test_envelope_is_json_serialisable():
    envelope = build_error_envelope(raised(ValidationError("bad", field="image")), "ocr")
    assert json.loads(json.dumps(envelope)) == envelope


@pytest.mark.parametrize("value, expected", [
    (build_error_envelope(ValueError("x"), "ocr"), True),
    ({"error": "x"}, False),
    ({"error": {"type": "X"}, "_internal": {}}, False),
    ({"result": 1}, False),
    (None, False),
])
def test_is_error_envelope(value, expected):
    assert is_error_envelope(value) is expected


def test_the_runner_returns_this_structure(runner, scripted, valid_payload):
    scripted(raises=RuntimeError("gpu lost"))
    envelope = runner.run("scripted", valid_payload)
    assert is_error_envelope(envelope)
    assert envelope["error"]["type"] == "RuntimeError"
    assert envelope["error"]["message"] == "gpu lost"
    assert "gpu lost" in envelope["_internal"]["traceback"]
