"""The sanctioned place where filters run (a sandbox-like module: it may be handed filters)."""

from pipeline.library import FilterLibrary


def run_isolated(chosen, frame: bytes) -> bytes:
    return chosen.transform(frame)


class Engine:
    def __init__(self, library: FilterLibrary) -> None:
        self._library = library

    def process(self, key: str, frame: bytes) -> bytes:
        return run_isolated(self._library.lookup(key), frame)
