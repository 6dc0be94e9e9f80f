"""Checklist §2: input is validated before the plugin is looked up or executed."""

from __future__ import annotations

import base64

import pytest

from server.app.plugin_registry import PluginRegistry
from server.app.services.tool_runner import ToolRunner
from server.app.validation import ValidationError, validate_input_payload

BAD_PAYLOADS = {
    "not an object": ["image", "image/png"],
    "no image": {"mime_type": "image/png"},
    "empty image": {"image": "", "mime_type": "image/png"},
    "empty decoded image": {"image": "====", "mime_type": "image/png"},
    "image not text": {"image": b"\x89PNG", "mime_type": "image/png"},
    "missing mime": {"image": base64.b64encode(b"\x89PNG\r\n\x1a\n").decode()},
    "empty mime": {"image": base64.b64encode(b"\x89PNG\r\n\x1a\n").decode(), "mime_type": ""},
    "unsupported mime": {"image": base64.b64encode(b"\x89PNG\r\n\x1a\n").decode(),
                         "mime_type": "application/pdf"},
    "undecodable": {"image": "%%% not base64 %%%", "mime_type": "image/png"},
    "content is not the mime type": {"image": base64.b64encode(b"GIF89a....").decode(),
                                     "mime_type": "image/png"},
    "options not an object": {"image": base64.b64encode(b"\x89PNG\r\n\x1a\n").decode(),
                              "mime_type": "image/png", "options": [1, 2]},
}


class LookupRecordingRegistry(PluginRegistry):
    def __init__(self) -> None:
        super().__init__()
        self.lookups: list[str] = []

    def get(self, name: str):
        self.lookups.append(name)
        return super().get(name)


@pytest.mark.parametrize("payload", BAD_PAYLOADS.values(), ids=BAD_PAYLOADS.keys())
def test_validator_rejects_bad_payloads(payload):
    with pytest.raises(ValidationError):
        validate_input_payload(payload)


def test_validator_accepts_a_good_payload(make_payload, jpeg_bytes):
    validate_input_payload(make_payload())
    validate_input_payload(make_payload(jpeg_bytes, mime_type="image/jpeg"))


@pytest.mark.parametrize("payload", BAD_PAYLOADS.values(), ids=BAD_PAYLOADS.keys())
def test_runner_rejects_bad_payloads_with_an_envelope(runner, scripted, payload):
    plugin = scripted()
    envelope = runner.run("scripted", payload)
    assert envelope["error"]["type"] == "ValidationError"
    assert envelope["error"]["plugin"] == "scripted"
    assert plugin.calls == [], "the plugin ran on an invalid payload"


def test_validation_happens_before_the_plugin_lookup():
    registry = LookupRecordingRegistry()
    envelope = ToolRunner(registry).run("does-not-exist", {"image": "", "mime_type": "image/png"})
    assert registry.lookups == []
    assert envelope["error"]["type"] == "ValidationError"


def test_validation_details_name_the_field(runner, scripted, encode, png_bytes):
    scripted()
    envelope = runner.run("scripted", {"image": encode(png_bytes), "mime_type": "text/plain"})
    assert envelope["error"]["details"]["field"] == "mime_type"
    assert "image/png" in envelope["error"]["details"]["allowed"]


def test_a_valid_payload_reaches_the_plugin(runner, scripted, valid_payload):
    plugin = scripted({"answer": 42})
    assert runner.run("scripted", valid_payload) == {"answer": 42}
    assert plugin.calls == [valid_payload]
