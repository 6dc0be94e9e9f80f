# phase12-path: server/app/error_envelope.py
"""An envelope without details, timestamp and the internal traceback."""


def build_error_envelope(exc, plugin_name):
    return {  # expect: GOV408, GOV408
        "error": {
            "type": type(exc).__name__,
            "message": str(exc),
            "details": {},
            "plugin": plugin_name,
        },
        "_internal": {},
    }
