# phase12-path: src/guard/scanning/core.py
"""The envelope names the plugin: the lookup key, the field of the request it is read from, or
the plugin's own name once it is bound."""
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

    def inspect_request(self, request, depth):
        rule = None
        try:
            checked = admit(request)
            rule = self._rules.fetch(checked.rule_id)
            return certify(rule.scan(checked.target, depth))
        except Exception as exc:
            return fault_report(exc, source=rule.label if rule is not None else request.rule_id)
        finally:
            self._rules.log_outcome(request.rule_id)

    def inspect_all(self, rule_ids, target, depth):
        reports = []
        for rule_id in rule_ids:
            try:
                admit(target)
                rule = self._rules.fetch(rule_id)
                reports.append(certify(rule.scan(target, depth)))
            except Exception as exc:
                reports.append(fault_report(exc, source=rule_id, detail=str(depth)))
            finally:
                self._rules.log_outcome(rule_id)
        return reports
