"""A proofing tool that renders a template without a press."""

from __future__ import annotations

from printshop.templates.poster import Poster


def proof(order: dict) -> dict:
    poster = Poster()
    return poster.render(order)  # expect: GOV101
