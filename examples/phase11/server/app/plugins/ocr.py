"""Text recognition: Tesseract when it is installed, embedded-text extraction otherwise."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from typing import Any

from server.app.plugins.base import BasePlugin, PluginError, decode_image, payload_options

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class OcrPlugin(BasePlugin):
    """Options: `engine` ("auto", "tesseract" or "builtin"), `language` (Tesseract language,
    default "eng"), `min_length` (shortest text run the built-in engine reports for formats
    without text metadata, default 5).

    The built-in engine does not recognise glyphs: it reports the text stored in the file (PNG
    text chunks, JPEG comments), which is what scanner and screenshot tools often write there.
    Deployments that need real recognition install Tesseract.
    """

    name = "ocr"
    version = "2.1.0"
    description = "Text recognition (Tesseract if installed, else embedded text)."

    def __init__(self, tesseract: str | None = None, *, timeout_s: float = 30.0) -> None:
        self._tesseract = tesseract or shutil.which("tesseract")
        self._timeout_s = timeout_s

    def run(self, payload: dict[str, Any]) -> dict[str, Any]:
        data = decode_image(payload)
        options = payload_options(payload)
        engine = str(options.get("engine", "auto"))
        if engine not in ("auto", "tesseract", "builtin"):
            raise PluginError(f"unknown OCR engine {engine!r}")
        if engine == "tesseract" or (engine == "auto" and self._tesseract):
            text = self._recognise(data, language=str(options.get("language", "eng")))
            engine = "tesseract"
        else:
            text = embedded_text(data, min_length=int(options.get("min_length", 5)))
            engine = "builtin"
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        return {"text": "\n".join(lines), "lines": lines, "engine": engine}

    def _recognise(self, data: bytes, *, language: str) -> str:
        if not self._tesseract:
            raise PluginError("tesseract is not installed")
        completed = subprocess.run(
            [self._tesseract, "stdin", "stdout", "-l", language],
            input=data, capture_output=True, timeout=self._timeout_s, check=False,
        )
        if completed.returncode != 0:
            message = completed.stderr.decode("utf-8", errors="replace").strip()
            raise PluginError(f"tesseract failed: {message[:200]}")
        return completed.stdout.decode("utf-8", errors="replace")


def embedded_text(data: bytes, *, min_length: int = 5) -> str:
    """The text stored in an image file, one entry per line.

    PNG text chunks and JPEG comments are read exactly; for other data, the runs of at least
    `min_length` printable ASCII characters are reported.
    """
    if data.startswith(PNG_SIGNATURE):
        return "\n".join(_png_text(data))
    if data.startswith(b"\xff\xd8"):
        return "\n".join(_jpeg_comments(data))
    pattern = re.compile(rb"[\x20-\x7e]{%d,}" % max(1, min_length))
    return "\n".join(match.group().decode("ascii") for match in pattern.finditer(data))


def _png_text(data: bytes) -> list[str]:
    texts = []
    offset = len(PNG_SIGNATURE)
    while offset + 8 <= len(data):
        (length,) = struct.unpack(">I", data[offset:offset + 4])
        kind = data[offset + 4:offset + 8]
        body = data[offset + 8:offset + 8 + length]
        offset += 12 + length
        if kind == b"tEXt":
            texts.append(body.partition(b"\x00")[2].decode("latin-1"))
        elif kind == b"zTXt":
            texts.append(_inflate(body.partition(b"\x00")[2][1:]).decode("latin-1"))
        elif kind == b"iTXt":
            _keyword, _, rest = body.partition(b"\x00")
            compressed = rest[:1] == b"\x01"
            _language, _, rest = rest[2:].partition(b"\x00")
            _translated, _, text = rest.partition(b"\x00")
            texts.append((_inflate(text) if compressed else text).decode("utf-8", errors="replace"))
        elif kind == b"IEND":
            break
    return texts


def _jpeg_comments(data: bytes) -> list[str]:
    comments = []
    offset = 2
    while offset + 4 <= len(data) and data[offset] == 0xFF:
        marker = data[offset + 1]
        if marker in (0xD9, 0xDA):  # end of image, start of scan: no more headers
            break
        (length,) = struct.unpack(">H", data[offset + 2:offset + 4])
        if marker == 0xFE:
            comments.append(data[offset + 4:offset + 2 + length].decode("latin-1"))
        offset += 2 + length
    return comments


def _inflate(data: bytes) -> bytes:
    try:
        return zlib.decompress(data)
    except zlib.error as exc:
        raise PluginError("corrupt compressed text chunk") from exc
