"""Helpers that execute whatever they are given: the call sites are the violations."""


def execute(p, payload):
    return p.run(payload)


def execute_twice(q, payload):
    return execute(q, payload), execute(p=q, payload=payload)


def start(thread):
    thread.run()


def describe(p):
    return callable(p.run)
