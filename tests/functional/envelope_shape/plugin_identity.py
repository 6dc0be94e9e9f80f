# phase12-path: src/guard/scanning/core.py
"""The envelope built without the plugin's identity, or with something else in its place.

The builder lives in another module; where it takes the identity is read from the calls here
that pass the key the plugin is looked up by."""
from guard.checks import admit, certify
from guard.faults import fault_report


class Scanner:
    def __init__(self, rules):
        self._rules = rules

    def inspect(self, rule_id, target, depth):
        try:
            admit(target)
            rule = self._rules.fetch(rule_id)
            return certify(rule.scan(target, depth))
        except Exception as exc:
            return fault_report(exc, source=rule_id)
        finally:
            self._rules.log_outcome(rule_id)

    def inspect_quick(self, rule_id, target, depth):
        try:
            admit(target)
            rule = self._rules.fetch(rule_id)
            return certify(rule.scan(target, depth))
        except Exception as exc:
            return fault_report(exc)  # expect: GOV408
        finally:
            self._rules.log_outcome(rule_id)

    def inspect_deep(self, rule_id, target, depth):
        try:
            admit(target)
            rule = self._rules.fetch(rule_id)
            return certify(rule.scan(target, depth))
        except Exception as exc:
            return fault_report(exc, source=depth)  # expect: GOV408
        finally:
            self._rules.log_outcome(rule_id)

    def inspect_anonymous(self, rule_id, target, depth):
        try:
            admit(target)
            rule = self._rules.fetch(rule_id)
            return certify(rule.scan(target, depth))
        except Exception as exc:
            return fault_report(exc, source="")  # expect: GOV408
        finally:
            self._rules.log_outcome(rule_id)
