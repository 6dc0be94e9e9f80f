"""Inside the plugins themselves: `self.run()`, `super().run()`, a base's `run` by class."""


class BasePlugin:
    def run(self, payload):
        raise NotImplementedError

    def __call__(self, payload):
        return self.run(payload)


class OcrPlugin(BasePlugin):
    def run(self, payload):
        checked = super().run if payload is None else None
        return BasePlugin.run(self, payload) if checked else {"text": str(payload)}
