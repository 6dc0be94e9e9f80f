"""Things named `run` that are not plugin executions, next to plugin objects."""
import asyncio
import inspect
import subprocess
import threading

from clean_app.plugins import OcrPlugin


class Worker(threading.Thread):
    def run(self):
        return None


def lookalikes():
    engine = OcrPlugin()
    subprocess.run(["true"], check=False)
    asyncio.run(asyncio.sleep(0))
    Worker().run()
    signature = inspect.signature(engine.run)
    engine.run = print
    text = "engine.run(payload) in a string"
    return signature, text
