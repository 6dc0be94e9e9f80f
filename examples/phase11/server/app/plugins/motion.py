"""Motion detection by differencing a frame against the previous one."""

from __future__ import annotations

from typing import Any

from server.app.plugins.base import BasePlugin, PluginError, decode_image, payload_options


class MotionPlugin(BasePlugin):
    """Compares `image` with `options.previous_image` (both base64, same encoding).

    The score is the share of bytes that differ, which is meaningful for frames that a camera
    encodes the same way (uncompressed or fixed-quality frames from one stream).
    """

    name = "motion"
    version = "0.9.0"
    description = "Frame differencing against options.previous_image."
    DEFAULT_THRESHOLD = 0.05

    def run(self, payload: dict[str, Any]) -> dict[str, Any]:
        frame = decode_image(payload)
        options = payload_options(payload)
        threshold = float(options.get("threshold", self.DEFAULT_THRESHOLD))
        if not 0.0 <= threshold <= 1.0:
            raise PluginError(f"threshold must be between 0 and 1, got {threshold}")
        if not options.get("previous_image"):
            return {"motion_detected": False, "motion_score": 0.0, "threshold": threshold,
                    "compared": False}
        previous = decode_image(options, key="previous_image")
        score = frame_difference(previous, frame)
        return {"motion_detected": score > threshold, "motion_score": round(score, 4),
                "threshold": threshold, "compared": True}


def frame_difference(previous: bytes, current: bytes) -> float:
    """The share of differing bytes; a length mismatch counts as difference."""
    longest = max(len(previous), len(current))
    if longest == 0:
        return 0.0
    changed = sum(a != b for a, b in zip(previous, current)) + abs(len(previous) - len(current))
    return changed / longest
