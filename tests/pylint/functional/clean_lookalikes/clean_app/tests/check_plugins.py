"""Under a `tests` directory: excluded by default, plugins may be run directly."""
from clean_app.plugins import OcrPlugin


def check_ocr():
    assert OcrPlugin().run(b"x") is not None
