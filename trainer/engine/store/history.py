"""Whole histories: the log read for export and rescheduling, imported answers, recomputed states
(trainer/engine/revlog.py and replay.py)."""

from __future__ import annotations

from collections.abc import Sequence

from trainer.engine.records import CardRow, NewLogEntry
from trainer.engine.store.codec import SET_ANSWER_COLUMNS, answer_columns, snapshot
from trainer.engine.store.log import Log

# (log id, question id, time in UTC us, rating, duration ms, mode, scheduled)
ReviewRow = tuple[int, str, int, int, int, str, bool]


class History(Log):
    def review_rows(self, bank_id: str) -> list[ReviewRow]:
        """Every log entry of the bank's cards (retired ones included), by card then time."""
        return [
            (r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6]))
            for r in self._q(
                "SELECT l.id, c.question_id, l.time, l.rating, l.duration_ms, l.mode, l.scheduled "
                "FROM review_log l JOIN cards c ON c.id = l.card_id WHERE c.bank_id = ? "
                "ORDER BY c.id, l.time, l.id",
                (bank_id,),
            )
        ]

    def insert_review(self, card_id: int, entry: NewLogEntry) -> int:
        """Within the caller's write(): append a log entry without touching the card (an imported
        answer; its snapshots are written by rewrite_history)."""
        return self.append_log(card_id, entry, ("new", "new", "{}", "{}"))

    def rewrite_history(self, card: CardRow, steps: Sequence[tuple[int, CardRow, CardRow]]) -> None:
        """Within the caller's write(): store a card's recomputed schedule and, per replayed log
        entry (log id, card before, card after), its states and snapshots."""
        self._x(SET_ANSWER_COLUMNS, {**answer_columns(card), "id": card.id})
        for log_id, before, after in steps:
            self._x(
                "UPDATE review_log SET state_before = ?, state_after = ?, card_before = ?, "
                "card_after = ? WHERE id = ?",
                (before.state, after.state, snapshot(before), snapshot(after), log_id),
            )
