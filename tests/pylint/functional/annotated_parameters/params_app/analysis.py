"""Parameters annotated with a plugin subclass: the name-based rule knows only base names."""
from __future__ import annotations

from typing import Optional

from params_app import plugins
from params_app.plugins import OcrPlugin, Report


def analyse(engine: OcrPlugin, payload):
    return engine.run(payload)  # [direct-plugin-execution]


def keyword_only(*, tool: "plugins.OcrPlugin"):
    return tool.run(1)  # [direct-plugin-execution]


def optional(tool: Optional[OcrPlugin]):
    return tool.run(1) if tool else None  # [direct-plugin-execution]


def union(tool: OcrPlugin | None):
    return tool.run(1) if tool else None  # [direct-plugin-execution]


async def awaited(engine: OcrPlugin):
    return await engine.run(1)  # [direct-plugin-execution]


def both_see_it(plugin: OcrPlugin):
    # Recognised by name too: one message only, from the shared engine (HIGH confidence).
    return plugin.run(1)  # [direct-plugin-execution]  # expect: GOV101


def suppressed(plugin: OcrPlugin):
    return plugin.run(1)  # pylint: disable=direct-plugin-execution  # expect: GOV101


def not_plugins(report: Report, reports: list[OcrPlugin]):
    return report.run(), [each.run(1) for each in reports][0:0]
