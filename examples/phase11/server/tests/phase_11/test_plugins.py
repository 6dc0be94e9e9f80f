"""The built-in plugins and the plugin interface."""

from __future__ import annotations

import pytest

from server.app.plugins.base import BasePlugin, PluginError, decode_image, payload_options
from server.app.plugins.metadata import ImageMetadataPlugin, read_header
from server.app.plugins.motion import MotionPlugin, frame_difference
from server.app.plugins.ocr import OcrPlugin, embedded_text


def test_base_plugin_is_abstract():
    with pytest.raises(TypeError):
        BasePlugin()  # type: ignore[abstract]


def test_describe_lists_name_version_and_description():
    assert ImageMetadataPlugin().describe() == {
        "name": "metadata",
        "version": ImageMetadataPlugin.version,
        "description": ImageMetadataPlugin.description,
    }


def test_decode_image_rejects_empty_and_invalid_base64():
    with pytest.raises(PluginError):
        decode_image({"image": ""})
    with pytest.raises(PluginError):
        decode_image({"image": "not base64!"})


def test_payload_options_defaults_to_empty():
    assert payload_options({"image": "x"}) == {}
    assert payload_options({"options": {"a": 1}}) == {"a": 1}


def test_metadata_reads_png_dimensions(make_payload, png_factory):
    output = ImageMetadataPlugin().run(make_payload(png_factory(7, 5)))
    assert output["format"] == "png"
    assert (output["width"], output["height"]) == (7, 5)
    assert output["size_bytes"] > 0


def test_metadata_reads_jpeg_and_gif_dimensions(jpeg_bytes):
    assert read_header(jpeg_bytes) == ("jpeg", 640, 480)
    assert read_header(b"GIF89a\x10\x00\x20\x00" + b"\x00" * 8) == ("gif", 16, 32)


def test_metadata_rejects_unknown_formats():
    with pytest.raises(PluginError):
        read_header(b"BM not an image we know")


def test_motion_without_previous_frame_reports_nothing(make_payload):
    output = MotionPlugin().run(make_payload())
    assert output == {"motion_detected": False, "motion_score": 0.0,
                      "threshold": MotionPlugin.DEFAULT_THRESHOLD, "compared": False}


def test_motion_detects_a_changed_frame(make_payload, png_factory, encode):
    previous = encode(png_factory(8, 8, shade=0))
    still = MotionPlugin().run(make_payload(png_factory(8, 8, shade=0), previous_image=previous))
    moved = MotionPlugin().run(make_payload(png_factory(8, 8, shade=200), previous_image=previous))
    assert still["motion_detected"] is False and still["motion_score"] == 0.0
    assert moved["motion_detected"] is True and moved["compared"] is True


def test_motion_rejects_an_out_of_range_threshold(make_payload):
    with pytest.raises(PluginError):
        MotionPlugin().run(make_payload(threshold=2))


def test_frame_difference_counts_length_changes():
    assert frame_difference(b"abcd", b"abcd") == 0.0
    assert frame_difference(b"ab", b"abcd") == 0.5


def test_ocr_builtin_engine_reads_embedded_text(make_payload, png_factory):
    output = OcrPlugin().run(make_payload(png_factory(text="Total due: 42 EUR"), engine="builtin"))
    assert output["engine"] == "builtin"
    assert "Total due: 42 EUR" in output["lines"]


def test_ocr_rejects_unknown_engines(make_payload):
    with pytest.raises(PluginError):
        OcrPlugin().run(make_payload(engine="neural"))


def test_ocr_builtin_engine_reads_jpeg_comments(make_payload, jpeg_bytes):
    comment = b"Scanned by Model X"
    jpeg = jpeg_bytes[:2] + b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment + jpeg_bytes[2:]
    output = OcrPlugin().run(make_payload(jpeg, mime_type="image/jpeg", engine="builtin"))
    assert output["lines"] == ["Scanned by Model X"]


def test_embedded_text_respects_min_length():
    assert embedded_text(b"\x00abc\x00abcdef\x00", min_length=4) == "abcdef"
