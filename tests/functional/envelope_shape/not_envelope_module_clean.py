# phase12-path: server/app/services/analysis_service.py
"""A function named like the envelope builder outside the envelope module is not checked."""


def build_error_envelope(exc, plugin_name):
    return {"error": {"message": str(exc)}}
