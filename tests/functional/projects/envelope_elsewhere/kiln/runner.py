"""The runner: the envelope's builder and model are declared in kiln/faults.py, which says that
`capture` takes the plugin's identity as `job=` and that `_internal` is a field of the dump.
The package re-exports the model (kiln/__init__.py): that name is followed to its declaration."""

from kiln import Fault as PackagedFault
from kiln import faults
from kiln.checks import check_batch, check_glaze
from .faults import Fault


class Kiln:
    def __init__(self, shelf):
        self._shelf = shelf

    def fire(self, name, batch):
        try:
            check_batch(batch)
            piece = self._shelf.find(name)
            return check_glaze(piece.bake(batch))
        except Exception as exc:
            return faults.Fault.capture(exc, hint="retry").model_dump()  # expect: GOV408
        finally:
            self._shelf.tally(name)

    def fire_trimmed(self, name, batch):
        try:
            check_batch(batch)
            piece = self._shelf.find(name)
            return check_glaze(piece.bake(batch))
        except Exception as exc:
            fault = Fault.capture(exc)  # expect: GOV408
            return fault.model_dump(exclude={"internal"})  # expect: GOV408
        finally:
            self._shelf.tally(name)

    def fire_packaged(self, name, batch):
        try:
            check_batch(batch)
            piece = self._shelf.find(name)
            return check_glaze(piece.bake(batch))
        except Exception as exc:
            return PackagedFault.capture(exc).model_dump()  # expect: GOV408
        finally:
            self._shelf.tally(name)
