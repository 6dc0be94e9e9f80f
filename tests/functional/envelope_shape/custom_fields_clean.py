# phase12-path: src/app/errors.py
"""The custom envelope with every configured field; the default fields do not apply."""
import uuid


def make_error_response(exc, tool_name):
    response = {"error": {"code": type(exc).__name__, "message": str(exc)}}
    response |= {"meta": {"tool": tool_name, "request_id": uuid.uuid4().hex}}
    return response
