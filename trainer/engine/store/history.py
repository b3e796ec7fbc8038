"""Whole histories: the log read for export and rescheduling, imported answers, recomputed states
(trainer/engine/revlog.py and replay.py)."""

from __future__ import annotations

from collections.abc import Sequence

from trainer.engine.records import CardRow, NewLogEntry
from trainer.engine.store.codec import (
    SET_ANSWER_COLUMNS,
    SNAPSHOT_COLUMNS,
    STATE_CODE,
    answer_columns,
    snapshot_values,
    unpack_flags,
)
from trainer.engine.store.log import Log

# (log id, question id, time in UTC us, rating, duration ms, mode, scheduled)
ReviewRow = tuple[int, str, int, int, int, str, bool]

# The flag bits of the card before the answer: state (7-8), suspended (9), leech (10).
_CARD_BITS = 0b11110000000


class History(Log):
    def review_rows(self, bank_id: str) -> list[ReviewRow]:
        """Every log entry of the bank's cards (retired ones included), by card then time."""
        out: list[ReviewRow] = []
        for log_id, qid, t, flags, ms in self._tuples(
            "SELECT l.id, c.question_id, l.time, l.flags, l.duration_ms "
            "FROM cards c JOIN revlog l ON l.card_id = c.id WHERE c.bank_id = ? "
            "ORDER BY c.id, l.time, l.id",
            (bank_id,),
        ):
            f = unpack_flags(flags)
            out.append((log_id, qid, t, f.rating, ms, f.mode, f.scheduled))
        return out

    def insert_review(self, card_id: int, entry: NewLogEntry) -> int:
        """Within the caller's write(): append a log entry without touching the card (an imported
        answer; its snapshot is written by rewrite_history)."""
        return self.append_log(card_id, entry, None)

    def rewrite_history(self, card: CardRow, steps: Sequence[tuple[int, CardRow, CardRow]]) -> None:
        """Within the caller's write(): store a card's recomputed schedule and, per replayed log
        entry (log id, card before, card after), the card before it."""
        self._x(SET_ANSWER_COLUMNS, {**answer_columns(card), "id": card.id})
        sets = ", ".join(f"{c} = ?" for c in SNAPSHOT_COLUMNS)
        for log_id, before, _after in steps:
            bits = (
                STATE_CODE[before.state] << 7 | int(before.suspended) << 9 | int(before.leech) << 10
            )
            self._x(
                f"UPDATE revlog SET flags = (flags & ~{_CARD_BITS}) | ?, {sets} WHERE id = ?",
                (bits, *snapshot_values(before), log_id),
            )
