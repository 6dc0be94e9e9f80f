from proto_app import unrelated
from proto_app.tools import AnalysisTool, Ocr


def by_protocol(tool: AnalysisTool, image: bytes):
    return tool.analyze(image)  # [direct-plugin-execution]  # expect: GOV101


def by_subclass(image: bytes):
    return Ocr().analyze(image)  # [direct-plugin-execution]  # expect: GOV101


def unrelated_class(image: bytes):
    return unrelated.AnalysisTool().analyze(image)
