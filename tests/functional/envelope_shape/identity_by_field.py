# phase12-path: src/guard/scanning/core.py
"""The builder, defined here, takes an HTTP status second and the plugin's identity third: the
parameter its `plugin` field is made from is the identity, so a call that leaves it out is
reported for that, and the status is not taken for it."""
import traceback
from datetime import datetime, timezone

from guard.checks import admit, certify


def fault_report(exc, status, rule=None):
    return {
        "error": {"type": type(exc).__name__, "message": str(exc), "details": {"status": status},
                  "plugin": rule, "timestamp": datetime.now(timezone.utc).isoformat()},
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
            return fault_report(exc, 500)  # expect: GOV408
        finally:
            self._rules.log_outcome(rule_id)
