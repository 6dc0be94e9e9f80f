# phase12-path: server/app/services/tool_runner.py
"""A runner module without `ToolRunner.run` (yet): say nothing rather than guess."""


class Runner:
    def run(self, name, payload):
        return self._backends.get(name).process(payload)


class ToolRunner:
    def execute(self, name, payload):
        try:
            return self._backends.get(name).process(payload)
        except ValueError:
            raise


def run(name, payload):
    raise NotImplementedError(name)
