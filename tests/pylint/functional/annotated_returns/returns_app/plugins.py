"""Plugins of this project, and a report that merely has a `run` method."""


class BasePlugin:
    def run(self, payload):
        raise NotImplementedError


class OcrPlugin(BasePlugin):
    def run(self, payload):
        return {"text": str(payload)}


class Report:
    def run(self):
        return "rendered"
