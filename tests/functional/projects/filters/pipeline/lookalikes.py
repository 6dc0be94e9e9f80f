"""Legal code around filters: looked at, described, or not a filter at all."""

import inspect

from pipeline.engine import Engine, run_isolated
from pipeline.helpers import apply_filter, describe
from pipeline.library import FilterLibrary


class Matrix:
    def transform(self, vector: list[float]) -> list[float]:
        return vector


class Gallery:
    def __init__(self, library: FilterLibrary, engine: Engine) -> None:
        self._library = library
        self._engine = engine

    def show(self, key: str, frame: bytes) -> bytes:
        return self._engine.process(key, frame)

    def describe(self, key: str, mode: str) -> dict[str, object]:
        chosen = self._library.lookup(key)
        method = getattr(chosen, mode)
        return {"callable": callable(chosen.transform), "doc": inspect.getdoc(method),
                "signature": str(inspect.signature(chosen.transform))}

    def project(self, vector: list[float]) -> list[float]:
        print(apply_filter.__doc__, describe(self._library.lookup("blur")))  # looked at only
        return Matrix().transform(vector)

    def sandboxed(self, key: str, frame: bytes) -> bytes:
        return run_isolated(self._library.lookup(key), frame)  # a sanctioned module may be handed one
