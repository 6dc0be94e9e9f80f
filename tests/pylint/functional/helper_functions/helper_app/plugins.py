class BasePlugin:
    def run(self, payload):
        raise NotImplementedError


class OcrPlugin(BasePlugin):
    def run(self, payload):
        return {"text": str(payload)}


def make_plugin() -> BasePlugin:
    return OcrPlugin()
