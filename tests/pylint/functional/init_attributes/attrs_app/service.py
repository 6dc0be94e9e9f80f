"""Plugins held in attributes set in `__init__` or declared in the class body."""
import threading

from attrs_app.plugins import BasePlugin, OcrPlugin


class Service:
    backup: "BasePlugin"

    def __init__(self, fallback: BasePlugin):
        self.engine = OcrPlugin()
        self.fallback = fallback
        self.worker = threading.Thread(target=print)

    def analyse(self, payload):
        first = self.engine.run(payload)  # [direct-plugin-execution]  # expect: GOV101
        second = self.fallback.run(payload)  # [direct-plugin-execution]  # expect: GOV101
        third = self.backup.run(payload)  # [direct-plugin-execution]  # expect: GOV101
        engine = self.engine
        fourth = engine.run(payload)  # [direct-plugin-execution]  # expect: GOV101
        return first, second, third, fourth

    def lookalikes(self):
        self.worker.run()
        self.run()
        return callable(self.engine.run), hasattr(self.engine, "run")

    def suppressed(self, payload):
        return self.engine.run(payload)  # pylint: disable=direct-plugin-execution  # expect: GOV101

    def run(self):
        return None


def local_instance(payload):
    ocr = OcrPlugin()
    return ocr.run(payload)  # [direct-plugin-execution]  # expect: GOV101
