"""The registry of filters, annotated with the plugin base class."""

from pipeline.filters import BUILT_IN
from pipeline.filters.base import Filter


class FilterLibrary:
    def __init__(self) -> None:
        self._filters = {cls.__name__.lower(): cls() for cls in BUILT_IN}

    def lookup(self, key: str) -> Filter:
        return self._filters[key]

    def everything(self) -> list[Filter]:
        return list(self._filters.values())
