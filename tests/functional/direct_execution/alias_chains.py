# phase12-path: app/services/dispatch.py
"""Plugins reached through chains of local names, at any depth, and names bound in a cycle."""


class Dispatcher:
    def __init__(self, registry):
        self._registry = registry

    def three_names_deep(self, name, payload):
        found = self._registry.get(name)
        kept = found
        chosen = kept
        return chosen.run(payload)  # expect: GOV101

    def bound_in_a_cycle(self, name, payload, rounds):
        left = self._registry.get(name)
        right = left
        for _ in range(rounds):
            left, right = right, left
            left = right
        return left.run(payload)  # expect: GOV101

    def a_cycle_without_a_plugin(self, job, rounds):
        first = job
        second = first
        for _ in range(rounds):
            first = second
            second = first
        return second.run()
