"""Fixtures shared by the Phase 11 and Phase 12 suites: small real images and payloads."""

from __future__ import annotations

import base64
import struct
import zlib
from collections.abc import Callable
from typing import Any

import pytest


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def make_png(width: int = 2, height: int = 2, *, text: str | None = None, shade: int = 0) -> bytes:
    """A valid greyscale PNG, optionally with a tEXt comment chunk."""
    rows = b"".join(b"\x00" + bytes([shade] * width) for _ in range(height))
    chunks = [_png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))]
    if text is not None:
        chunks.append(_png_chunk(b"tEXt", b"Comment\x00" + text.encode("latin-1")))
    chunks.append(_png_chunk(b"IDAT", zlib.compress(rows)))
    chunks.append(_png_chunk(b"IEND", b""))
    return b"\x89PNG\r\n\x1a\n" + b"".join(chunks)


def make_jpeg_header(width: int = 3, height: int = 2) -> bytes:
    """The header segments of a baseline JPEG (enough for header parsers)."""
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof0 = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof0 + b"\xff\xd9"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


@pytest.fixture
def png_bytes() -> bytes:
    return make_png(4, 3, text="Invoice 2024-117")


@pytest.fixture
def jpeg_bytes() -> bytes:
    return make_jpeg_header(640, 480)


@pytest.fixture
def make_payload() -> Callable[..., dict[str, Any]]:
    """`make_payload(image_bytes=..., mime_type=..., **options)` -> an analysis payload."""

    def build(image_bytes: bytes | None = None, mime_type: str = "image/png",
              **options: Any) -> dict[str, Any]:
        data = make_png(4, 3, text="Invoice 2024-117") if image_bytes is None else image_bytes
        return {"image": b64(data), "mime_type": mime_type, "options": options}

    return build


@pytest.fixture
def encode() -> Callable[[bytes], str]:
    return b64


@pytest.fixture
def png_factory() -> Callable[..., bytes]:
    return make_png
