from typing import Protocol


class AnalysisTool(Protocol):
    def analyze(self, image: bytes) -> dict: ...


class Ocr(AnalysisTool):
    def analyze(self, image: bytes) -> dict:
        return {"text": ""}
