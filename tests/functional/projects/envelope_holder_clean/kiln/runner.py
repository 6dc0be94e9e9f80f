"""The runner hands the envelope builder of kiln/faults.py the request's origin, which carries
the plugin's name: a holder of the identity, not another value in its place."""

from kiln.checks import check_batch, check_glaze
from kiln.faults import Fault


class Kiln:
    def __init__(self, shelf):
        self._shelf = shelf

    def fire(self, name, batch, origin):
        try:
            check_batch(batch)
            piece = self._shelf.find(name)
            return check_glaze(piece.bake(batch))
        except Exception as exc:
            return Fault.capture(exc, origin).model_dump()
        finally:
            self._shelf.tally(name)
