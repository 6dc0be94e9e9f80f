# phase12-path: server/app/error_envelope.py
"""Envelopes we cannot read statically: say nothing rather than guess."""
import copy
from dataclasses import asdict, dataclass

from server.app.envelopes import make_envelope

TEMPLATE = {"error": {}, "_internal": {}}


@dataclass
class ErrorEnvelope:
    type: str
    message: str


class Envelopes:
    def build_error_envelope(self, exc, plugin_name):
        return asdict(ErrorEnvelope(type(exc).__name__, str(exc)))


def _fill(envelope, exc):
    envelope["error"].update(vars(exc))


def build_error_envelope(exc, plugin_name, kind="default"):
    if kind == "delegated":
        return make_envelope(exc, plugin_name)
    if kind == "template":
        envelope = copy.deepcopy(TEMPLATE)
        envelope["error"]["plugin"] = plugin_name
        return envelope
    if kind == "filled":
        envelope = {"error": {"plugin": plugin_name}, "_internal": {"traceback": ""}}
        _fill(envelope, exc)
        return envelope
    if kind == "computed":
        return {"error": {key: getattr(exc, key, None) for key in ("type", "message")},
                "_internal": {field: "" for field in ("traceback",)}}
    return ErrorEnvelope(type(exc).__name__, str(exc))
