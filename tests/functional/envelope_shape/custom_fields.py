# phase12-path: src/app/errors.py
"""A custom envelope function and fields: `make_error_response` must build `meta.request_id`."""
import uuid


def make_error_response(exc, tool_name):
    response = {"error": {"code": type(exc).__name__, "message": str(exc)}}
    response["meta"] = {"tool": tool_name}
    return response  # expect: GOV408


def build_error_envelope(exc, plugin_name):
    """The default name is not the configured envelope here: not checked."""
    return {"error": {}}


class Responses:
    @staticmethod
    def make_error_response(exc, tool_name):
        return dict(error=dict(code="E", message=str(exc)), meta=dict(request_id=uuid.uuid4().hex))
