"""Image format and dimensions, read from the file header without decoding pixels."""

from __future__ import annotations

import struct
from typing import Any

from server.app.plugins.base import BasePlugin, PluginError, decode_image

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
GIF_SIGNATURES = (b"GIF87a", b"GIF89a")
JPEG_SOI = b"\xff\xd8"
# Start-of-frame markers carry the dimensions; 0xC4, 0xC8 and 0xCC are other segments.
JPEG_SOF_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
# Markers without a length field.
JPEG_STANDALONE_MARKERS = frozenset({0x01, *range(0xD0, 0xD9)})


class ImageMetadataPlugin(BasePlugin):
    name = "metadata"
    version = "1.2.0"
    description = "Image format, width, height and size, read from the file header."

    def run(self, payload: dict[str, Any]) -> dict[str, Any]:
        data = decode_image(payload)
        image_format, width, height = read_header(data)
        return {"format": image_format, "width": width, "height": height, "size_bytes": len(data)}


def read_header(data: bytes) -> tuple[str, int, int]:
    """(format, width, height) of a PNG, GIF or JPEG image."""
    if data.startswith(PNG_SIGNATURE):
        if len(data) < 24 or data[12:16] != b"IHDR":
            raise PluginError("truncated PNG header")
        width, height = struct.unpack(">II", data[16:24])
        return "png", width, height
    if data[:6] in GIF_SIGNATURES:
        if len(data) < 10:
            raise PluginError("truncated GIF header")
        width, height = struct.unpack("<HH", data[6:10])
        return "gif", width, height
    if data.startswith(JPEG_SOI):
        width, height = _jpeg_dimensions(data)
        return "jpeg", width, height
    raise PluginError("unrecognised image format")


def _jpeg_dimensions(data: bytes) -> tuple[int, int]:
    offset = len(JPEG_SOI)
    while offset + 4 <= len(data):
        if data[offset] != 0xFF:
            raise PluginError("corrupt JPEG marker stream")
        marker = data[offset + 1]
        if marker == 0xFF:  # fill byte
            offset += 1
            continue
        if marker in JPEG_STANDALONE_MARKERS:
            offset += 2
            continue
        (length,) = struct.unpack(">H", data[offset + 2:offset + 4])
        if marker in JPEG_SOF_MARKERS:
            if offset + 9 > len(data):
                break
            height, width = struct.unpack(">HH", data[offset + 5:offset + 9])
            return width, height
        offset += 2 + length
    raise PluginError("JPEG has no frame header")
