"""Checks on what goes into a plugin and what comes out of it (Phase 12).

Both raise `ValidationError`, which the runner turns into an error envelope like any other
failure, so a client sees the same structured error for a bad image as for a crashing plugin.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import Any

ALLOWED_MIME_TYPES = frozenset({"image/png", "image/jpeg", "image/gif"})
MAX_IMAGE_BYTES = 10 * 1024 * 1024
# The leading bytes an image of each type must start with.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
}
# Keys a plugin may not return: they belong to the error envelope. A plugin reports a failure
# by raising, never by returning an ad-hoc error object.
RESERVED_OUTPUT_KEYS = frozenset({"error", "_internal"})


class ValidationError(ValueError):
    """A payload or a plugin output breaks the contract. `details` says where and why."""

    def __init__(self, message: str, *, field: str | None = None, **details: Any) -> None:
        super().__init__(message)
        self.details: dict[str, Any] = {"field": field, **details} if field else dict(details)


def validate_input_payload(payload: Any) -> None:
    """Reject a payload no plugin should see: no image, a bad MIME type, undecodable data."""
    if not isinstance(payload, Mapping):
        raise ValidationError("payload must be an object", received=type(payload).__name__)
    image = payload.get("image")
    if image is None or image == "":
        raise ValidationError("image is empty", field="image")
    if not isinstance(image, str):
        raise ValidationError("image must be base64 text", field="image",
                              received=type(image).__name__)
    mime_type = payload.get("mime_type")
    if not mime_type:
        raise ValidationError("mime_type is missing", field="mime_type")
    if mime_type not in ALLOWED_MIME_TYPES:
        raise ValidationError(f"unsupported mime_type {mime_type!r}", field="mime_type",
                              allowed=sorted(ALLOWED_MIME_TYPES))
    try:
        data = base64.b64decode(image, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValidationError("image is not valid base64", field="image") from exc
    if not data:
        raise ValidationError("image is empty", field="image")
    if len(data) > MAX_IMAGE_BYTES:
        raise ValidationError("image is too large", field="image", size_bytes=len(data),
                              max_bytes=MAX_IMAGE_BYTES)
    if not data.startswith(SIGNATURES[mime_type]):
        raise ValidationError(f"image content is not {mime_type}", field="image")
    options = payload.get("options")
    if options is not None and not isinstance(options, Mapping):
        raise ValidationError("options must be an object", field="options",
                              received=type(options).__name__)


def validate_plugin_output(raw_output: Any) -> dict[str, Any]:
    """The plugin's output as a plain dict, or `ValidationError` if it breaks the contract."""
    if raw_output is None:
        raise ValidationError("plugin returned no output")
    if not isinstance(raw_output, Mapping):
        raise ValidationError("plugin output must be an object",
                              received=type(raw_output).__name__)
    bad_keys = sorted(repr(key) for key in raw_output if not isinstance(key, str))
    if bad_keys:
        raise ValidationError("plugin output keys must be strings", keys=bad_keys)
    reserved = sorted(RESERVED_OUTPUT_KEYS.intersection(raw_output))
    if reserved:
        raise ValidationError("plugin output uses reserved keys; plugins report failures by "
                              "raising", keys=reserved)
    return dict(raw_output)
