"""The plugin interface."""

from abc import ABC, abstractmethod


class Filter(ABC):
    @abstractmethod
    def transform(self, frame: bytes) -> bytes:
        """Return the filtered frame."""
