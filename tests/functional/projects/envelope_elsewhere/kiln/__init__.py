"""The package re-exports the envelope model under its own name."""

from kiln.faults import Fault

__all__ = ["Fault"]
