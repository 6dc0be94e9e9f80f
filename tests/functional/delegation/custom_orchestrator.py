# phase12-path: src/engine/orchestrator.py
"""An orchestrator that reaches the tool service, and the web layer above it."""
from web.endpoints import router  # expect: GOV607


class Orchestrator:
    def __init__(self, scheduler, tools):
        self._scheduler = scheduler
        self._tools = tools  # expect: GOV606

    def process(self, tool_name, payload):
        return self._tools.invoke(tool_name, payload)  # expect: GOV606

    def process_later(self, tool_name, payload):
        return self._scheduler.schedule(tool_name, payload)

    def routes(self):
        return router.routes  # expect: GOV607
