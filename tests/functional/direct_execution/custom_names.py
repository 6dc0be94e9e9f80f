# phase12-path: src/analysis/services/jobs.py
"""A codebase with its own names: `run_tool` and `analyze` execute, tools are plugins."""


class Jobs:
    def submit(self, tool, payload):
        first = tool.run_tool(payload)  # expect: GOV101
        second = self.tools["ocr"].analyze(payload)  # expect: GOV101
        third = tool.run(payload)
        return first, second, third
