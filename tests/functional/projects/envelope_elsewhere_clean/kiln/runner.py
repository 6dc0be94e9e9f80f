"""The runner: the envelope's builder and model are declared in kiln/faults.py; every call
passes `job=`, and the one dump that excludes something excludes a field the spec does not
name."""

from kiln import faults
from kiln.checks import check_batch, check_glaze
from kiln.faults import Fault


class Kiln:
    def __init__(self, shelf):
        self._shelf = shelf

    def fire(self, name, batch):
        try:
            check_batch(batch)
            piece = self._shelf.find(name)
            return check_glaze(piece.bake(batch))
        except Exception as exc:
            return faults.Fault.capture(exc, job=name).model_dump()
        finally:
            self._shelf.tally(name)

    def fire_public(self, name, batch):
        try:
            check_batch(batch)
            piece = self._shelf.find(name)
            return check_glaze(piece.bake(batch))
        except Exception as exc:
            fault = Fault.capture(exc, job=name, hint="retry")
            return fault.model_dump(exclude={"error": {"hint"}})
        finally:
            self._shelf.tally(name)
