"""Parameters annotated with a plugin subclass: the name-based rule knows only base names."""
from __future__ import annotations

from typing import Optional

from params_app import plugins
from params_app.plugins import OcrPlugin, Report


def analyse(engine: OcrPlugin, payload):
    return engine.run(payload)  # [direct-plugin-execution]  # expect: GOV101


def keyword_only(*, tool: "plugins.OcrPlugin"):
    return tool.run(1)  # [direct-plugin-execution]  # expect: GOV101


def optional(tool: Optional[OcrPlugin]):
    return tool.run(1) if tool else None  # [direct-plugin-execution]  # expect: GOV101


def union(tool: OcrPlugin | None):
    return tool.run(1) if tool else None  # [direct-plugin-execution]  # expect: GOV101


async def awaited(engine: OcrPlugin):
    return await engine.run(1)  # [direct-plugin-execution]  # expect: GOV101


def both_see_it(plugin: OcrPlugin):
    # Recognised by name too: one message only, from the shared engine (HIGH confidence).
    return plugin.run(1)  # [direct-plugin-execution]  # expect: GOV101


def suppressed(plugin: OcrPlugin):
    return plugin.run(1)  # pylint: disable=direct-plugin-execution  # expect: GOV101


def a_report_and_a_list(report: Report, reports: list[OcrPlugin]):
    # Not a plugin, then the elements of a list of plugins: the project model (shared by flake8
    # and pylint) reads the element type of the annotation, which pylint's inference does not.
    return report.run(), [each.run(1) for each in reports][0:0]  # [direct-plugin-execution]  # expect: GOV101
