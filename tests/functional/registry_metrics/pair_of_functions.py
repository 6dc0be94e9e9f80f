# phase12-path: server/app/plugin_registry.py
"""One method per outcome, whose failure half forgets part of the bookkeeping."""
import enum
import time


class CardState(enum.Enum):
    NEW = "new"
    SUCCESS = "success"
    ERROR = "error"


class Card:
    success_count: int = 0
    error_count: int = 0
    state: CardState = CardState.NEW


class Ledger:
    def __init__(self):
        self._cards: dict[str, Card] = {}

    def record_success(self, plugin_name, elapsed):
        card = self._cards.get(plugin_name)
        if card is None:
            return
        card.success_count += 1
        card.state = CardState.SUCCESS
        card.last_used = time.time()  # expect: GOV506
        self._time(card, elapsed)

    def record_failure(self, plugin_name, elapsed):
        card = self._cards.get(plugin_name)
        if card is None:
            return
        card.error_count += 1
        card.state = CardState.SUCCESS  # expect: GOV506
        self._time(card, elapsed)

    def _time(self, card, elapsed):
        card.last_execution_time_ms = elapsed
        card.avg_execution_time_ms = elapsed
