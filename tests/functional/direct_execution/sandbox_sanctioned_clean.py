# phase12-path: src/analysis/sandbox.py
"""A configured sanctioned site may execute plugins."""


def execute_isolated(tool, payload):
    return tool.run_tool(payload)
