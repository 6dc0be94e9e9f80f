# phase12-path: src/analysis/tools/catalog.py
"""Custom names: `record_run` in the `tools.catalog` module maintains `runs_ok`/`runs_failed`."""
import time


class ToolCatalog:
    def record_run(self, tool_name, ok, elapsed):
        entry = self._entries[tool_name]
        if ok:
            entry.runs_ok += 1  # expect: GOV506
        else:
            entry.runs_failed += 1
        entry.last_run = time.time()
        entry.status = "OK" if ok else "BROKEN"  # expect: GOV504
