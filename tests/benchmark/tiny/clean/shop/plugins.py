"""Plugins: each turns a payload into a dict."""

from __future__ import annotations

import subprocess
from typing import Any


class BasePlugin:
    name = "base"

    def run(self, payload: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError


class EchoPlugin(BasePlugin):
    name = "echo"

    def run(self, payload: dict[str, Any]) -> dict[str, Any]:
        return {"echo": payload.get("text", "")}


class VersionPlugin(BasePlugin):
    name = "version"

    def run(self, payload: dict[str, Any]) -> dict[str, Any]:
        done = subprocess.run(["uname", "-r"], capture_output=True, text=True, check=False)
        return {"kernel": done.stdout.strip()}
