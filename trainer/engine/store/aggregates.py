"""Aggregates for statistics, from counters (card_counts, log_hours) that triggers keep in step
with the log in each answer's own transaction (schema.py): the work follows the bank's cards and
the days asked for, never the size of the log."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from trainer.engine.store.cards import DUE_SQL
from trainer.engine.store.codec import to_us
from trainer.engine.store.connection import Connection
from trainer.engine.store.schema import COUNTER_REBUILD, HOUR_US, hour_sql


class Aggregates(Connection):
    def data_version(self) -> int:
        """SQLite's PRAGMA data_version: changes when ANOTHER connection commits (not this one);
        on a connection shared by two engines (``shared``), this connection's commits count too."""
        version = int(self._q("PRAGMA data_version")[0][0])
        return version + self.commits if self.shared else version

    def only_bank(self, bank_id: str) -> bool:
        """Whether every card in the database is this bank's (then its log is the whole log)."""
        lo, hi = self._q(
            "SELECT (SELECT min(bank_id) FROM cards) AS lo, (SELECT max(bank_id) FROM cards) AS hi"
        )[0]
        return lo in (None, bank_id) and hi in (None, bank_id)

    def log_count(self, bank_id: str) -> int:
        """How many answers are logged for the bank's cards (retired ones included)."""
        return int(
            self._q(
                "SELECT coalesce(sum(n.answered), 0) FROM cards c "
                "JOIN card_counts n ON n.card_id = c.id WHERE c.bank_id = ?",
                (bank_id,),
            )[0][0]
        )

    def retention_counts(self, bank_id: str) -> dict[str, tuple[int, int]]:
        """Per question id: (passed, total) of its scheduled answers in the review state (passed:
        not AGAIN). Retired cards included."""
        rows = self._tuples(
            "SELECT c.question_id, n.retention_passed, n.retention_total FROM cards c "
            "JOIN card_counts n ON n.card_id = c.id WHERE c.bank_id = ? AND n.retention_total > 0",
            (bank_id,),
        )
        return {qid: (int(ok), int(total)) for qid, ok, total in rows}

    def correct_counts(self, bank_id: str) -> dict[str, tuple[int, int]]:
        """Per question id: (right, answered) over every answer logged, in any mode (a QBank's
        "percent correct"); a self-rated answer (recall) is right unless rated Again."""
        rows = self._tuples(
            "SELECT c.question_id, n.right_answers, n.answered FROM cards c "
            "JOIN card_counts n ON n.card_id = c.id WHERE c.bank_id = ? AND n.answered > 0",
            (bank_id,),
        )
        return {qid: (int(right), int(n)) for qid, right, n in rows}

    def log_per_period(
        self, bank_id: str, bounds: Sequence[datetime], *, any_only: bool = False
    ) -> list[int]:
        """Answers logged for the bank's cards in each period ``[bounds[i], bounds[i + 1])`` (with
        ``any_only``: 1 if there is at least one, else 0). One query, whatever the number of
        periods (a long streak asks for years of days): the whole hours inside each period from
        log_hours, one probe of its key per period, and the rest of it (an edge off the hour: a
        time zone off by half an hour, a period shorter than an hour) from the time index of the
        log. The edges are passed as one JSON array."""
        if len(bounds) < 2:
            return []
        us = [to_us(b) for b in bounds]
        h = HOUR_US
        if all(u % h == 0 for u in us):  # every edge on the hour (the usual case): log_hours alone
            agg = "EXISTS (SELECT 1" if any_only else "(SELECT coalesce(sum(answers), 0)"
            sql = (
                "WITH e AS (SELECT key AS i, value AS lo, lead(value) OVER (ORDER BY key) AS hi "
                f"FROM json_each(?2)) SELECT i, {agg} FROM log_hours WHERE bank_id = ?1 "
                "AND hour >= e.lo AND hour < e.hi) FROM e WHERE hi IS NOT NULL ORDER BY i"
            )
            hours = json.dumps([u // h for u in us])
            return [int(r[1]) for r in self._tuples(sql, (bank_id, hours))]
        edges = json.dumps(us)
        if self.only_bank(bank_id):
            log_from = "FROM revlog l WHERE l.time >= {lo} AND l.time < {hi}"
        else:  # CROSS JOIN: walk the time range first, then look each card up by its id
            log_from = (
                "FROM revlog l CROSS JOIN cards c ON c.id = l.card_id "
                "WHERE l.time >= {lo} AND l.time < {hi} AND c.bank_id = ?1"
            )
        hours_from = "FROM log_hours WHERE bank_id = ?1 AND hour >= p.hlo AND hour < p.hhi"
        # the parts off the whole hours: [lo, cut1) and [cut2, hi)
        edge_parts = [
            log_from.format(lo="p.lo", hi="p.cut1"),
            log_from.format(lo="p.cut2", hi="p.hi"),
        ]
        guards = ("p.lo < p.cut1", "p.cut2 < p.hi")
        if any_only:
            agg = " OR ".join(
                [f"EXISTS (SELECT 1 {hours_from})"]
                + [
                    f"(CASE WHEN {g} THEN EXISTS (SELECT 1 {inner}) ELSE 0 END)"
                    for g, inner in zip(guards, edge_parts, strict=True)
                ]
            )
        else:
            agg = " + ".join(
                [f"(SELECT coalesce(sum(answers), 0) {hours_from})"]
                + [
                    f"(CASE WHEN {g} THEN (SELECT count(*) {inner}) ELSE 0 END)"
                    for g, inner in zip(guards, edge_parts, strict=True)
                ]
            )
        ceil_h = f"(-(({hour_sql('-e.lo')})))"
        floor_h = hour_sql("e.hi")
        sql = (
            "WITH e AS (SELECT key AS i, value AS lo, lead(value) OVER (ORDER BY key) AS hi "
            "FROM json_each(?2)), "
            f"w AS (SELECT i, lo, hi, {ceil_h} AS hlo, {floor_h} AS hhi FROM e "
            "WHERE hi IS NOT NULL), "
            "p AS (SELECT i, lo, hi, hlo, hhi, "
            f"CASE WHEN hlo < hhi THEN hlo * {h} ELSE hi END AS cut1, "
            f"CASE WHEN hlo < hhi THEN hhi * {h} ELSE hi END AS cut2 FROM w) "
            f"SELECT p.i, {agg} FROM p ORDER BY p.i"
        )
        return [int(r[1]) for r in self._tuples(sql, (bank_id, edges))]

    def rebuild_counters(self) -> None:
        """The counters recomputed from the whole log (after a bulk load that bypassed them)."""
        with self.write():
            for statement in COUNTER_REBUILD:
                self._x(statement)

    def counters_match_log(self) -> bool:
        """Whether the counters equal a count of the whole log from scratch (a check for tests
        and diagnostics: it reads the whole log)."""
        from trainer.engine.store.schema import counter_scan_sql

        with self.read():
            kept = self._tuples(
                "SELECT 'c', card_id, answered, right_answers, retention_total, retention_passed "
                "FROM card_counts UNION ALL SELECT 'h', bank_id, hour, answers, 0, 0 "
                "FROM log_hours ORDER BY 1, 2, 3"
            )
            scanned = self._tuples(counter_scan_sql() + " ORDER BY 1, 2, 3")
        return kept == scanned

    # -- schema facts (for tests and diagnostics) -----------------------------------------------

    def integrity_check(self) -> str:
        return str(self._q("PRAGMA integrity_check")[0][0])

    def pragma(self, name: str) -> Any:
        if not name.replace("_", "").isalnum():
            raise ValueError(f"not a pragma name: {name!r}")
        return self._x(f"PRAGMA {name}").fetchone()[0]

    def set_busy_timeout(self, ms: int) -> None:
        """How long SQLite itself waits for another writer's lock outside BEGIN IMMEDIATE (which
        polls on its own; see Connection._begin_immediate)."""
        self.busy_timeout_ms = int(ms)
        self._x(f"PRAGMA busy_timeout = {int(ms)}")

    def due_query_plan(self, bank_id: str, before: datetime) -> list[str]:
        """EXPLAIN QUERY PLAN of the due-cards query."""
        rows = self._q("EXPLAIN QUERY PLAN " + DUE_SQL, (bank_id, to_us(before)))
        return [str(r["detail"]) for r in rows]
