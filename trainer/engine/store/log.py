"""The append-only review log (table ``revlog``, schema 5): answers, undo and reading back.

Each entry keeps the card as it was before the answer (codec.snapshot_values and the state,
suspension and leech bits of its flags), which is what an exact undo restores. The counters the
statistics read (card_counts, log_hours) follow every insert, delete and update of the log by
triggers, in the same transaction (schema.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from trainer.engine.records import CardRow, LogRow, NewLogEntry, ReviewEntry
from trainer.engine.store.codec import (
    SET_ANSWER_COLUMNS,
    SNAPSHOT_COLUMNS,
    answer_columns,
    from_us,
    pack_flags,
    pack_response,
    snapshot_columns,
    snapshot_values,
    to_us,
    unpack_flags,
    unpack_response,
)
from trainer.engine.store.connection import Connection

NO_SNAPSHOT = (None,) * len(SNAPSHOT_COLUMNS)
_INSERT = (
    "INSERT INTO revlog (card_id, time, flags, duration_ms, response, "
    f"{', '.join(SNAPSHOT_COLUMNS)}) VALUES ({', '.join('?' * (5 + len(SNAPSHOT_COLUMNS)))})"
)


class Log(Connection):
    def save_answer(self, before: CardRow, after: CardRow, entry: NewLogEntry) -> int:
        """Within the caller's write(): update the card and append the log entry; its id."""
        self._x(SET_ANSWER_COLUMNS, {**answer_columns(after), "id": before.id})
        return self.append_log(before.id, entry, before)

    def append_log(self, card_id: int, entry: NewLogEntry, before: CardRow | None) -> int:
        """Within the caller's write(): insert one log entry for ``card_id``; its id.
        ``before``: the card before the answer (None: not known yet, an imported answer whose
        snapshot rewrite_history writes; such an entry cannot be undone)."""
        flags = pack_flags(
            entry.rating,
            entry.mode,
            entry.scheduled,
            entry.correct,
            "new" if before is None else before.state,
            before is not None and before.suspended,
            before is not None and before.leech,
        )
        cur = self._x(
            _INSERT,
            (
                card_id,
                to_us(entry.time),
                flags,
                entry.duration_ms,
                pack_response(entry.response),
                *(NO_SNAPSHOT if before is None else snapshot_values(before)),
            ),
        )
        assert cur.lastrowid is not None
        return cur.lastrowid

    def undo_answer(self, log_id: int) -> str | None:
        """Restore the card to its snapshot before log entry ``log_id`` and delete the entry.

        Returns the question id, or None if the entry no longer exists, holds no snapshot, or a
        later answer to the same card (from another instance on this database) would be
        overwritten by the restore.
        """
        with self.write():
            rows = self._tuples(
                "SELECT l.card_id, c.question_id, l.flags, "
                + ", ".join(f"l.{c}" for c in SNAPSHOT_COLUMNS)
                + " "
                "FROM revlog l JOIN cards c ON c.id = l.card_id WHERE l.id = ? AND NOT EXISTS "
                "(SELECT 1 FROM revlog later WHERE later.card_id = l.card_id "
                "AND later.id > l.id)",
                (log_id,),
            )
            if not rows:
                return None
            card_id, qid, flags, *values = rows[0]
            snap = snapshot_columns(unpack_flags(flags), values)
            if snap is None:
                return None
            self._x(SET_ANSWER_COLUMNS, {**snap, "id": card_id})
            self._x("DELETE FROM revlog WHERE id = ?", (log_id,))
        return str(qid)

    def log_since(self, bank_id: str, since: datetime | None = None) -> list[LogRow]:
        """Log entries of the bank's cards (at or after ``since``), oldest first."""
        sql = "SELECT l.id, c.question_id, l.time, l.flags FROM revlog l "
        params: list[Any] = [bank_id]
        if since is not None:
            # CROSS JOIN: the time range of the log first (index), not every card's history
            sql += "CROSS JOIN cards c ON c.id = l.card_id WHERE c.bank_id = ? AND l.time >= ?"
            params.append(to_us(since))
        else:
            sql += "JOIN cards c ON c.id = l.card_id WHERE c.bank_id = ?"
        out = []
        for log_id, qid, t, flags in self._tuples(sql + " ORDER BY l.time, l.id", params):
            f = unpack_flags(flags)
            out.append(
                LogRow(
                    id=log_id,
                    question_id=qid,
                    time=from_us(t),
                    rating=f.rating,
                    correct=f.correct,
                    mode=f.mode,
                    scheduled=f.scheduled,
                    state_before=f.state_before,
                )
            )
        return out

    def history(self, bank_id: str, qid: str) -> list[ReviewEntry]:
        out = []
        for t, flags, ms, response in self._tuples(
            "SELECT l.time, l.flags, l.duration_ms, l.response "
            "FROM revlog l JOIN cards c ON c.id = l.card_id "
            "WHERE c.bank_id = ? AND c.question_id = ? ORDER BY l.time, l.id",
            (bank_id, qid),
        ):
            f = unpack_flags(flags)
            out.append(
                ReviewEntry(
                    time=from_us(t),
                    rating=f.rating,
                    correct=f.correct,
                    mode=f.mode,
                    duration_ms=ms,
                    response=unpack_response(response),
                )
            )
        return out

    def last_results(self, bank_id: str) -> dict[str, bool | None]:
        """Per question id ever answered: whether its most recent answer was correct."""
        rows = self._tuples(
            "SELECT c.question_id, l.flags FROM cards c JOIN revlog l "
            "ON l.id = (SELECT max(id) FROM revlog WHERE card_id = c.id) WHERE c.bank_id = ?",
            (bank_id,),
        )
        return {qid: unpack_flags(flags).correct for qid, flags in rows}
