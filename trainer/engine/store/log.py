"""The append-only review log: answers, undo and reading back."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from trainer.engine.records import CardRow, LogRow, NewLogEntry, ReviewEntry
from trainer.engine.store.codec import SET_ANSWER_COLUMNS, answer_columns, from_us, snapshot, to_us
from trainer.engine.store.connection import Connection


class Log(Connection):
    def save_answer(self, before: CardRow, after: CardRow, entry: NewLogEntry) -> int:
        """Within the caller's write(): update the card and append the log entry; its id."""
        self._x(SET_ANSWER_COLUMNS, {**answer_columns(after), "id": before.id})
        states = (before.state, after.state, snapshot(before), snapshot(after))
        return self.append_log(before.id, entry, states)

    def append_log(self, card_id: int, entry: NewLogEntry, states: tuple[str, ...]) -> int:
        """Within the caller's write(): insert one log entry for ``card_id``; its id. ``states``:
        (state before, state after, card before, card after), the last two as snapshots."""
        cur = self._x(
            "INSERT INTO review_log (card_id, time, rating, correct, response, duration_ms, mode, "
            "scheduled, state_before, state_after, card_before, card_after) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                card_id,
                to_us(entry.time),
                entry.rating,
                None if entry.correct is None else int(entry.correct),
                entry.response,
                entry.duration_ms,
                entry.mode,
                int(entry.scheduled),
                *states,
            ),
        )
        assert cur.lastrowid is not None
        return cur.lastrowid

    def undo_answer(self, log_id: int) -> str | None:
        """Restore the card to its snapshot before log entry ``log_id`` and delete the entry.

        Returns the question id, or None if the entry no longer exists or a later answer to the
        same card (from another instance on this database) would be overwritten by the restore.
        """
        with self.write():
            rows = self._q(
                "SELECT l.card_id, l.card_before, c.question_id FROM review_log l "
                "JOIN cards c ON c.id = l.card_id WHERE l.id = ? AND NOT EXISTS "
                "(SELECT 1 FROM review_log later WHERE later.card_id = l.card_id "
                "AND later.id > l.id)",
                (log_id,),
            )
            if not rows:
                return None
            snap = json.loads(rows[0]["card_before"])
            self._x(SET_ANSWER_COLUMNS, {**snap, "id": rows[0]["card_id"]})
            self._x("DELETE FROM review_log WHERE id = ?", (log_id,))
        return str(rows[0]["question_id"])

    def log_since(self, bank_id: str, since: datetime | None = None) -> list[LogRow]:
        """Log entries of the bank's cards (at or after ``since``), oldest first."""
        sql = (
            "SELECT l.id, c.question_id, l.time, l.rating, l.correct, l.mode, l.scheduled, "
            "l.state_before FROM review_log l "
        )
        params: list[Any] = [bank_id]
        if since is not None:
            # CROSS JOIN: the time range of the log first (index), not every card's history
            sql += "CROSS JOIN cards c ON c.id = l.card_id WHERE c.bank_id = ? AND l.time >= ?"
            params.append(to_us(since))
        else:
            sql += "JOIN cards c ON c.id = l.card_id WHERE c.bank_id = ?"
        return [
            LogRow(
                id=r["id"],
                question_id=r["question_id"],
                time=from_us(r["time"]),
                rating=r["rating"],
                correct=None if r["correct"] is None else bool(r["correct"]),
                mode=r["mode"],
                scheduled=bool(r["scheduled"]),
                state_before=r["state_before"],
            )
            for r in self._q(sql + " ORDER BY l.time, l.id", params)
        ]

    def history(self, bank_id: str, qid: str) -> list[ReviewEntry]:
        return [
            ReviewEntry(
                time=from_us(r["time"]),
                rating=r["rating"],
                correct=None if r["correct"] is None else bool(r["correct"]),
                mode=r["mode"],
                duration_ms=r["duration_ms"],
                response=r["response"],
            )
            for r in self._q(
                "SELECT l.time, l.rating, l.correct, l.mode, l.duration_ms, l.response "
                "FROM review_log l JOIN cards c ON c.id = l.card_id "
                "WHERE c.bank_id = ? AND c.question_id = ? ORDER BY l.time, l.id",
                (bank_id, qid),
            )
        ]

    def last_results(self, bank_id: str) -> dict[str, bool | None]:
        """Per question id ever answered: whether its most recent answer was correct."""
        rows = self._q(
            "SELECT c.question_id, l.correct FROM review_log l JOIN cards c ON c.id = l.card_id "
            "WHERE c.bank_id = ? AND l.id = (SELECT max(id) FROM review_log WHERE card_id = c.id)",
            (bank_id,),
        )
        return {
            r["question_id"]: None if r["correct"] is None else bool(r["correct"]) for r in rows
        }
