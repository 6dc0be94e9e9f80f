# phase12-path: src/shop/jobs/report.py
"""Looking at the sandbox is not calling it; a method of the same name elsewhere is not it."""
import inspect

from shop.sandbox.jail import confine


class Policy:
    def confine(self, rule):
        return rule


def describe(policy: Policy):
    return {
        "callable": callable(confine),
        "signature": str(inspect.signature(confine)),
        "doc": confine.__doc__,
        "rule": policy.confine("no network"),
    }


def run_classic(name):
    """A function of this module that shares the legacy runner's name."""
    return name
