# phase12-path: server/app/plugin_registry.py
"""One method per outcome (the configured `record_success` and its sibling `record_failure`):
read as one metrics function, each half for its outcome. Nothing to report."""
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
        self._touch(card, elapsed)

    def record_failure(self, plugin_name, elapsed):
        card = self._cards.get(plugin_name)
        if card is None:
            return
        card.error_count += 1
        card.state = CardState.ERROR
        self._touch(card, elapsed)

    def _touch(self, card, elapsed):
        card.last_execution_time_ms = elapsed
        card.avg_execution_time_ms = elapsed
        card.last_used = time.time()
