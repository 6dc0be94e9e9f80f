"""Input and output checks of the runner."""

from __future__ import annotations

from typing import Any


class ValidationError(ValueError):
    pass


def validate_input_payload(payload: Any) -> None:
    if not isinstance(payload, dict) or not payload:
        raise ValidationError("payload must be a non-empty object")


def validate_plugin_output(raw_output: Any) -> dict[str, Any]:
    if not isinstance(raw_output, dict):
        raise ValidationError("plugin output must be an object")
    return raw_output
