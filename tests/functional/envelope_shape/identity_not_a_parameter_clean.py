# phase12-path: src/guard/scanning/core.py
"""The builder, defined here, names the plugin from a context variable the scanning middleware
sets, not from a parameter of its own: its second parameter is a status, and no argument of a
call of it is the plugin's identity."""
import traceback
from datetime import datetime, timezone

from guard.checks import admit, certify
from guard.context import current_rule


def fault_report(exc, status=500):
    return {
        "error": {"type": type(exc).__name__, "message": str(exc), "details": {"status": status},
                  "plugin": current_rule.get(),
                  "timestamp": datetime.now(timezone.utc).isoformat()},
        "_internal": {"traceback": traceback.format_exc()},
    }


class Scanner:
    def __init__(self, rules):
        self._rules = rules

    def inspect(self, rule_id, target):
        try:
            admit(target)
            rule = self._rules.fetch(rule_id)
            return certify(rule.scan(target))
        except Exception as exc:
            return fault_report(exc, 400)
        finally:
            self._rules.log_outcome(rule_id)
