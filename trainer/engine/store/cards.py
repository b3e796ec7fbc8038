"""The cards of a bank: sync with the bank, reads, flags and suspension."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from trainer.engine.days import elapsed_days_sql
from trainer.engine.errors import TrainerDBError
from trainer.engine.records import CardCols, CardRow, SyncReport
from trainer.engine.scheduler import CARD_STATES
from trainer.engine.store.codec import (
    _MAX_US,
    _MIN_US,
    CARD_COLUMNS,
    card_from_cols,
    checked_cols,
    to_us,
)
from trainer.engine.store.connection import Connection

RESET_PREFIX = "reset:"  # settings key prefix: reset:BANK:QID -> time of the last reset (us)
# settings key prefix: synced:BANK -> the stamp of the last sync (see Cards._sync_stamp)
SYNCED_PREFIX = "synced:"

DUE_SQL = (
    f"SELECT {CARD_COLUMNS} FROM cards WHERE bank_id = ? AND due < ? "
    "AND retired = 0 AND suspended = 0 AND state != 'new' ORDER BY due"
)


def _number(col: str, above: float) -> str:
    # A number in (above, 1e12), or NULL. No typeof() (a function call per row): SQLite orders
    # every TEXT and BLOB value after every number, so text or a blob is never below 1e12.
    return f"({col} IS NULL OR ({col} > {above} AND {col} < 1e12))"


def _int_sql(col: str) -> str:
    # No typeof() (a function call per row, the cost of this check): ``col | 0`` is ``col`` cast
    # to an integer, equal to ``col`` only when it is one: a real an INTEGER column keeps is not
    # a whole number, or too large for int64 (the bounds: -2**63 as a real casts to itself), and
    # text and blobs sort after every number. Stricter than int64 (2**62): never laxer.
    return f"({col} BETWEEN {-(2**62)} AND {2**62} AND ({col} | 0) = {col})"


def _integer(col: str) -> str:
    return f"({col} IS NOT NULL AND {_int_sql(col)})"  # never NULL


def _time(col: str) -> str:
    return f"({col} IS NULL OR ({_int_sql(col)} AND {col} BETWEEN {_MIN_US} AND {_MAX_US}))"


# A card row codec.checked_cols accepts: never laxer than checked_cols (a row it passes also
# passes checked_cols). Never NULL (state, id and question_id are NOT NULL). Text and blobs
# sort after every number and blobs after all text (question_id < x'': text).
VALID_SQL = (
    f"({_integer('id')} AND question_id < x'' "
    f"AND state IN ({', '.join(repr(s) for s in CARD_STATES)}) "
    f"AND (step IS NULL OR {_int_sql('step')}) "
    f"AND {_number('stability', 0)} AND {_number('difficulty', -1e12)} "
    f"AND {_time('due')} AND {_time('last_review')} "
    f"AND {_integer('reps')} AND {_integer('lapses')} AND {_integer('suspended')} "
    f"AND {_integer('flagged')} AND {_integer('leech')} "
    "AND (step IS NOT NULL OR state NOT IN ('learning', 'relearning')))"
)
# An active card of the bank that codec.checked_cols might refuse (a hand-edited or damaged row).
SUSPECT_SQL = f"SELECT id FROM cards WHERE bank_id = ? AND retired = 0 AND NOT {VALID_SQL} LIMIT 1"

# The study queue's tallies over the bank's active cards, in one pass and no row read (the home's
# first figures; see Cards.queue_tally).
TALLY_SQL = (
    f"SELECT count(CASE WHEN NOT {VALID_SQL} THEN 1 END), "
    "count(CASE WHEN suspended = 0 AND state IN ('learning', 'relearning') AND due <= ? "
    "THEN 1 END), "
    "count(CASE WHEN suspended = 0 AND state = 'review' AND due < ? THEN 1 END), "
    "count(CASE WHEN suspended = 0 AND state = 'new' THEN 1 END), "
    "min(CASE WHEN suspended = 0 AND state IN ('learning', 'relearning') AND due > ? "
    "THEN due END) "
    "FROM cards WHERE bank_id = ? AND retired = 0"
)


def ids_digest(active_ids: Sequence[str]) -> str:
    return hashlib.blake2b("\n".join(active_ids).encode(), digest_size=16).hexdigest()


class Cards(Connection):
    if TYPE_CHECKING:  # Aggregates' (the Store has both)

        def data_version(self) -> int: ...

    def _bank_cards(self, bank_id: str) -> dict[str, bool]:
        """question id -> retired, for every card of the bank."""
        rows = self._tuples("SELECT question_id, retired FROM cards WHERE bank_id = ?", (bank_id,))
        return {str(qid): bool(retired) for qid, retired in rows}

    @staticmethod
    def _in_sync(existing: dict[str, bool], active_ids: Sequence[str]) -> bool:
        """Whether the cards already are exactly the active ids, none retired among them."""
        live = sum(1 for is_retired in existing.values() if not is_retired)
        return live == len(active_ids) and all(existing.get(q) is False for q in active_ids)

    def _sync_stamp(
        self, bank_id: str, active_ids: Sequence[str], digest: str | None = None
    ) -> str:
        """What a start compares to skip the sync: a digest of the active ids (in order) and the
        cards table's row count and largest id. Only sync_bank adds cards or changes ``retired``,
        and it stores this stamp in the same transaction; the count and id catch cards added or
        deleted by anything else (an older version, a hand edit). ``digest``: ids_digest of
        ``active_ids``, if the caller has it (the engine makes it once)."""
        if digest is None:
            digest = ids_digest(active_ids)
        count, top = self._tuples("SELECT count(*), max(id) FROM cards")[0]
        return f"{digest}:{len(active_ids)}:{count}:{top}"

    def sync_bank(
        self, bank_id: str, active_ids: Sequence[str], now: datetime, *, digest: str | None = None
    ) -> SyncReport:
        """New ids become new cards; absent ids are retired; returning ids are revived.

        The usual case (nothing changed since the last sync) is settled by comparing a stamp
        (_sync_stamp), without reading the cards; else by one read of the bank's cards, without
        taking the write lock when they are already in step (the stamp is then stored)."""
        key = f"{SYNCED_PREFIX}{bank_id}"
        with self.read():
            if self.synced(bank_id, active_ids, digest=digest):
                return SyncReport()
            in_sync = self._in_sync(self._bank_cards(bank_id), active_ids)
        if in_sync:
            self._store_stamp(key, bank_id, active_ids, check=True)
            return SyncReport()
        active = set(active_ids)
        added = retired = revived = 0
        self._synced_seen = None
        with self.write():
            existing = self._bank_cards(bank_id)  # again, under the lock
            created = to_us(now)
            for qid in active_ids:
                if qid not in existing:
                    self._x(
                        "INSERT INTO cards (bank_id, question_id, created) VALUES (?, ?, ?)",
                        (bank_id, qid, created),
                    )
                    existing[qid] = False
                    added += 1
                elif existing[qid]:
                    self._x(
                        "UPDATE cards SET retired = 0 WHERE bank_id = ? AND question_id = ?",
                        (bank_id, qid),
                    )
                    revived += 1
            for qid, is_retired in existing.items():
                if qid not in active and not is_retired:
                    self._x(
                        "UPDATE cards SET retired = 1 WHERE bank_id = ? AND question_id = ?",
                        (bank_id, qid),
                    )
                    retired += 1
            self._store_stamp(key, bank_id, active_ids, check=False)
        return SyncReport(added=added, retired=retired, revived=revived)

    def _store_stamp(
        self, key: str, bank_id: str, active_ids: Sequence[str], *, check: bool
    ) -> None:
        """Store the sync stamp (in the write transaction the sync made, or in one of its own,
        ``check``ing the cards again under the lock; skipped if the database is busy or read-only:
        the next start syncs by reading the cards again)."""
        try:
            with self.write():
                if check and not self._in_sync(self._bank_cards(bank_id), active_ids):
                    return  # pragma: no cover - another program changed the cards meanwhile
                self._x(
                    "INSERT INTO settings (key, value) VALUES (?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (key, self._sync_stamp(bank_id, active_ids)),
                )
        except TrainerDBError as exc:
            if exc.kind not in ("locked", "readonly"):
                raise

    def synced(self, bank_id: str, active_ids: Sequence[str], *, digest: str | None = None) -> bool:
        """Whether the bank's cards are still exactly ``active_ids`` as the last sync left them
        (its stamp is current): the bank's active cards are then the engine's questions.
        ``digest``: ids_digest(active_ids), if the caller has it.

        Found so, the answer is kept until another connection commits (data_version): only
        sync_bank, on this connection, changes which cards there are, and it forgets it."""
        if digest is None:
            digest = ids_digest(active_ids)
        with self.read():
            seen = (bank_id, digest, self.data_version())
            if self._synced_seen == seen:
                return True
            stored = self._tuples(
                "SELECT value FROM settings WHERE key = ?", (f"{SYNCED_PREFIX}{bank_id}",)
            )
            found = bool(stored) and stored[0][0] == self._sync_stamp(bank_id, active_ids, digest)
            self._synced_seen = seen if found else None
            return found

    _synced_seen: tuple[str, str, int] | None = None  # (bank, ids digest, data_version)

    def queue_tally(
        self, bank_id: str, learn_until_us: int, day_end_us: int
    ) -> tuple[int, int, int, int, int | None]:
        """Over the bank's active cards, in one pass of SQL (no row decoded): (rows
        codec.checked_cols might refuse, unsuspended learning cards due by ``learn_until_us``,
        unsuspended reviews due before ``day_end_us``, unsuspended new cards, the due time of
        the first unsuspended learning card due after ``learn_until_us`` or None)."""
        params = (learn_until_us, day_end_us, learn_until_us, bank_id)
        bad, learning, review, new, later = self._tuples(TALLY_SQL, params)[0]
        return int(bad), int(learning), int(review), int(new), later

    def next_due(self, bank_id: str, after_us: int) -> int | Literal[False] | None:
        """The first due time after ``after_us`` of the bank's active, unsuspended cards that
        are not new (the cards_due index), None if there is none, or False if that card's row
        is one codec.checked_cols might refuse (the caller loads the cards: its error)."""
        rows = self._tuples(
            f"SELECT due, {VALID_SQL} FROM cards WHERE bank_id = ? AND due > ? AND retired = 0 "
            "AND suspended = 0 AND state != 'new' ORDER BY due LIMIT 1",
            (bank_id, after_us),
        )
        if not rows:
            return None
        due, valid = rows[0]
        return int(due) if valid and isinstance(due, int) else False

    def queue_rows(
        self, bank_id: str, qids: Sequence[str]
    ) -> list[tuple[str, str, int | None, int]]:
        """(question id, state, due, suspended) of these active cards (for the queue's tally of
        buried siblings); the rows must be valid (queue_tally found none suspect)."""
        out: list[tuple[str, str, int | None, int]] = []
        for i in range(0, len(qids), 500):
            chunk = qids[i : i + 500]
            out += self._tuples(
                "SELECT question_id, state, due, suspended FROM cards WHERE bank_id = ? "
                f"AND retired = 0 AND question_id IN ({', '.join('?' * len(chunk))})",
                (bank_id, *chunk),
            )
        return out

    def mastery_rows(
        self,
        bank_id: str,
        start_us: int,
        curve: tuple[float, float],
        r_of: Callable[[float, int], float | None],
    ) -> list[tuple[str, float | None]]:
        """(question id, retrievability) of the bank's active review cards with a stability and
        a last review, in id order (the home's mastery: summary.mastery_of_reviews), the
        elapsed days counted from today's start ``start_us`` as days.elapsed_days_us does. By
        SQL when SQLite has pow() (C's pow(), as Python's ``**``): ``(1 + factor * days /
        stability) ** decay`` for ``curve`` = (factor, decay), r_of's formula (None: not a
        number); else by ``r_of`` (scheduler.retrievability_fn) from the stability and days.
        The rows must be valid (see queue_tally)."""
        days = elapsed_days_sql("last_review", "?2")
        where = (
            "FROM cards WHERE bank_id = ?1 AND retired = 0 AND state = 'review' "
            "AND stability IS NOT NULL AND last_review IS NOT NULL ORDER BY id"
        )
        if self._has_pow():
            r = f"pow(1.0 + ?3 * {days} / stability, ?4)"
            return self._tuples(f"SELECT question_id, {r} {where}", (bank_id, start_us, *curve))
        rows = self._tuples(f"SELECT question_id, stability, {days} {where}", (bank_id, start_us))
        return [(qid, r_of(stability, n)) for qid, stability, n in rows]

    _pow: bool | None = None

    def _has_pow(self) -> bool:
        """Whether SQLite's math functions (3.35+, an option of its build) are there."""
        if self._pow is None:
            try:
                self._pow = self._tuples("SELECT pow(4.0, 0.5)")[0][0] == 2.0
            except TrainerDBError:
                self._pow = False
        return self._pow

    def card(self, bank_id: str, qid: str) -> CardRow | None:
        rows = self._q(
            f"SELECT {CARD_COLUMNS} FROM cards WHERE bank_id = ? AND question_id = ?",
            (bank_id, qid),
        )
        return card_from_cols(checked_cols(rows[0])) if rows else None

    def cards(self, bank_id: str, *, include_retired: bool = False) -> list[CardRow]:
        sql = f"SELECT {CARD_COLUMNS} FROM cards WHERE bank_id = ?"
        if not include_retired:
            sql += " AND retired = 0"
        return [card_from_cols(checked_cols(r)) for r in self._q(sql + " ORDER BY id", (bank_id,))]

    def card_cols(self, bank_id: str) -> list[CardCols]:
        """The bank's active cards as stored columns, in id order: the cheapest whole-bank read,
        for the engine's cache (each row checked: see codec.checked_cols). The check runs in
        SQL first (SUSPECT_SQL, stricter than checked_cols); row by row only if a row is suspect,
        so a damaged row raises exactly as checked_cols says."""
        sql = f"SELECT {CARD_COLUMNS} FROM cards WHERE bank_id = ? AND retired = 0 ORDER BY id"
        if self._tuples(SUSPECT_SQL, (bank_id,)):
            return [checked_cols(t) for t in self._tuples(sql, (bank_id,))]
        return list(map(CardCols._make, self._tuples(sql, (bank_id,))))

    def due_cards(self, bank_id: str, before: datetime) -> list[CardRow]:
        """Seen, active, unsuspended cards due before ``before``, soonest first (uses cards_due)."""
        return [card_from_cols(checked_cols(r)) for r in self._q(DUE_SQL, (bank_id, to_us(before)))]

    def set_flag(self, bank_id: str, qid: str, flagged: bool) -> bool:
        with self.write():
            cur = self._x(
                "UPDATE cards SET flagged = ? WHERE bank_id = ? AND question_id = ?",
                (int(flagged), bank_id, qid),
            )
        return cur.rowcount > 0

    def set_suspended(self, bank_id: str, qid: str, suspended: bool) -> bool:
        with self.write():
            cur = self._x(
                "UPDATE cards SET suspended = ? WHERE bank_id = ? AND question_id = ?",
                (int(suspended), bank_id, qid),
            )
        return cur.rowcount > 0

    def reset_card(self, bank_id: str, qid: str, at_us: int) -> bool:
        """Forget a card: back to new (no schedule, no reps or lapses, not a leech), as Anki's
        "Forget". Its review log, flag and suspension are kept; the time of the reset is kept too
        (settings key ``reset:BANK:QID``), so that rescheduling from the log starts after it.
        Whether the card exists."""
        with self.write():
            cur = self._x(
                "UPDATE cards SET state = 'new', step = NULL, stability = NULL, "
                "difficulty = NULL, due = NULL, last_review = NULL, reps = 0, lapses = 0, "
                "leech = 0 WHERE bank_id = ? AND question_id = ?",
                (bank_id, qid),
            )
            if cur.rowcount > 0:
                self._x(
                    "INSERT INTO settings (key, value) VALUES (?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (f"{RESET_PREFIX}{bank_id}:{qid}", str(at_us)),
                )
        return cur.rowcount > 0

    def reset_times(self, bank_id: str) -> dict[str, int]:
        """Per question id of the bank: when its card was last reset (UTC microseconds)."""
        prefix = f"{RESET_PREFIX}{bank_id}:"
        rows = self._q(
            "SELECT key, value FROM settings WHERE key >= ? AND key < ?",
            (prefix, prefix + "\uffff"),
        )
        return {str(k)[len(prefix) :]: int(v) for k, v in rows}
