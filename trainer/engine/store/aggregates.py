"""Aggregates for statistics (bounded work: indexes, no whole-log reads into Python)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from trainer.engine.store.cards import DUE_SQL
from trainer.engine.store.codec import to_us
from trainer.engine.store.connection import Connection


class Aggregates(Connection):
    def data_version(self) -> int:
        """SQLite's PRAGMA data_version: changes when ANOTHER connection commits (not this one)."""
        return int(self._q("PRAGMA data_version")[0][0])

    def only_bank(self, bank_id: str) -> bool:
        """Whether every card in the database is this bank's (then its log is the whole log)."""
        lo, hi = self._q(
            "SELECT (SELECT min(bank_id) FROM cards) AS lo, (SELECT max(bank_id) FROM cards) AS hi"
        )[0]
        return lo in (None, bank_id) and hi in (None, bank_id)

    def log_count(self, bank_id: str) -> int:
        """How many answers are logged for the bank's cards (retired ones included)."""
        if self.only_bank(bank_id):
            return int(self._q("SELECT count(*) FROM review_log")[0][0])
        return int(
            self._q(
                "SELECT count(*) FROM review_log WHERE card_id IN "
                "(SELECT id FROM cards WHERE bank_id = ?)",
                (bank_id,),
            )[0][0]
        )

    def retention_counts(self, bank_id: str) -> dict[str, tuple[int, int]]:
        """Per question id: (passed, total) of its scheduled answers in the review state (passed:
        not AGAIN), from the partial index review_log_retention. Retired cards included."""
        sql = (
            "SELECT c.question_id, r.total, r.passed FROM (SELECT card_id, count(*) AS total, "
            "sum(rating > 1) AS passed FROM review_log WHERE scheduled = 1 "
            "AND state_before = 'review' GROUP BY card_id) r "
            "JOIN cards c ON c.id = r.card_id WHERE c.bank_id = ?"
        )
        return {r[0]: (int(r[2]), int(r[1])) for r in self._q(sql, (bank_id,))}

    def correct_counts(self, bank_id: str) -> dict[str, tuple[int, int]]:
        """Per question id: (right, answered) over every answer logged, in any mode (a QBank's
        "percent correct"); a self-rated answer (recall) is right unless rated Again."""
        sql = (
            "SELECT c.question_id, count(*) AS answered, sum(CASE WHEN l.correct IS NULL "
            "THEN l.rating > 1 ELSE l.correct END) AS right FROM review_log l "
            "JOIN cards c ON c.id = l.card_id WHERE c.bank_id = ? GROUP BY c.question_id"
        )
        return {r[0]: (int(r[2]), int(r[1])) for r in self._q(sql, (bank_id,))}

    def log_per_period(
        self, bank_id: str, bounds: Sequence[datetime], *, any_only: bool = False
    ) -> list[int]:
        """Answers logged for the bank's cards in each period ``[bounds[i], bounds[i + 1])`` (with
        ``any_only``: 1 if there is at least one, else 0). One query; each period is a range of
        the (time, card_id) index, so the cost follows the periods, not the size of the log."""
        edges = [to_us(b) for b in bounds]
        if len(edges) < 2:
            return []
        values = ", ".join(
            f"({i}, {int(lo)}, {int(hi)})" for i, (lo, hi) in enumerate(itertools.pairwise(edges))
        )
        params: tuple[Any, ...] = ()
        if self.only_bank(bank_id):
            inner = "FROM review_log l WHERE l.time >= b.lo AND l.time < b.hi"
        else:  # CROSS JOIN: walk the time range first, then look each card up by its id
            inner = (
                "FROM review_log l CROSS JOIN cards c ON c.id = l.card_id "
                "WHERE l.time >= b.lo AND l.time < b.hi AND c.bank_id = ?"
            )
            params = (bank_id,)
        agg = f"EXISTS (SELECT 1 {inner})" if any_only else f"(SELECT count(*) {inner})"
        sql = f"WITH b(i, lo, hi) AS (VALUES {values}) SELECT b.i, {agg} FROM b ORDER BY b.i"
        return [int(r[1]) for r in self._q(sql, params)]

    # -- schema facts (for tests and diagnostics) -----------------------------------------------

    def integrity_check(self) -> str:
        return str(self._q("PRAGMA integrity_check")[0][0])

    def pragma(self, name: str) -> Any:
        if not name.replace("_", "").isalnum():
            raise ValueError(f"not a pragma name: {name!r}")
        return self._x(f"PRAGMA {name}").fetchone()[0]

    def set_busy_timeout(self, ms: int) -> None:
        """How long SQLite itself waits for another writer's lock (then we retry; see write())."""
        self._x(f"PRAGMA busy_timeout = {int(ms)}")

    def due_query_plan(self, bank_id: str, before: datetime) -> list[str]:
        """EXPLAIN QUERY PLAN of the due-cards query."""
        rows = self._q("EXPLAIN QUERY PLAN " + DUE_SQL, (bank_id, to_us(before)))
        return [str(r["detail"]) for r in rows]
