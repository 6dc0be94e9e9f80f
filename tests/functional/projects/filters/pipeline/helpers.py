"""A helper that executes whatever filter it is given (its parameter says nothing of filters):
the calls that hand it a filter are the executions."""


def apply_filter(chosen, frame: bytes) -> bytes:
    return chosen.transform(frame)


def apply_later(chosen, frame: bytes):
    return lambda: apply_filter(chosen, frame)


def describe(chosen) -> str:
    return f"{chosen!r} can transform: {callable(chosen.transform)}"
