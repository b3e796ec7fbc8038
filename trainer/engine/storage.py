"""The review database: the only module that runs SQL.

SQLite in WAL mode with ``synchronous=FULL`` (every committed answer is on disk), foreign keys on
and a busy timeout, so several processes can use one database at once; a write that still finds the
database locked is retried. The schema is migrated through the numbered scripts in ``schema.py``
under ``PRAGMA user_version``; before an existing database is migrated it is copied to a timestamped
backup beside it. A file that is not a trainer database is inspected without being written and
refused with a TrainerDBError.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from trainer.engine.errors import TrainerDBError
from trainer.engine.records import ExamResult, ReviewEntry, SyncReport
from trainer.engine.scheduler import CARD_STATES, CardSchedule, CardStateName, utc
from trainer.engine.schema import APPLICATION_ID, LATEST_VERSION, MIGRATIONS, TABLES_AT

BUSY_TIMEOUT_MS = 5000
LOCK_RETRIES = 12  # x BUSY_TIMEOUT_MS: give up on a lock after about a minute
SQLITE_MAGIC = b"SQLite format 3\x00"
# Up to this size the whole file is quick_check'ed on every open (a few ms); above it, every table
# but the review log (so that opening does not slow down as the history grows).
FULL_CHECK_BYTES = 16 * 1024 * 1024
# SQLite's result codes for a damaged file (SQLITE_CORRUPT, SQLITE_NOTADB).
_DAMAGED_CODES = frozenset({11, 26})
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def to_us(t: datetime) -> int:
    """UTC microseconds since the epoch (exact)."""
    return (utc(t) - EPOCH) // timedelta(microseconds=1)


def from_us(us: int) -> datetime:
    return EPOCH + timedelta(microseconds=us)


def _opt_us(t: datetime | None) -> int | None:
    return None if t is None else to_us(t)


def _opt_dt(us: int | None) -> datetime | None:
    return None if us is None else from_us(us)


@dataclass(frozen=True)
class CardRow:
    """One card as stored."""

    id: int
    question_id: str
    schedule: CardSchedule
    suspended: bool = False
    flagged: bool = False
    leech: bool = False
    retired: bool = False

    @property
    def state(self) -> CardStateName:
        return self.schedule.state


@dataclass(frozen=True)
class LogRow:
    """A review log entry, without the snapshots."""

    id: int
    question_id: str
    time: datetime
    rating: int
    correct: bool | None
    mode: str
    scheduled: bool
    state_before: str


@dataclass(frozen=True)
class NewLogEntry:
    time: datetime
    rating: int
    correct: bool | None
    response: str
    duration_ms: int
    mode: str
    scheduled: bool


_CARD_COLUMNS = (
    "id, question_id, state, step, stability, difficulty, due, last_review, reps, lapses, "
    "suspended, flagged, leech, retired"
)


# A card's columns as stored, in the order of _CARD_COLUMNS (times in UTC microseconds).
CardTuple = tuple[Any, ...]


def card_tuple(row: CardRow) -> CardTuple:
    """The stored form of ``row`` (the inverse of card_from_tuple)."""
    s = row.schedule
    return (
        row.id,
        row.question_id,
        s.state,
        s.step,
        s.stability,
        s.difficulty,
        _opt_us(s.due),
        _opt_us(s.last_review),
        s.reps,
        s.lapses,
        int(row.suspended),
        int(row.flagged),
        int(row.leech),
        int(row.retired),
    )


def card_from_tuple(r: CardTuple | sqlite3.Row) -> CardRow:
    return _card_from_row(r)


def _card_from_row(r: CardTuple | sqlite3.Row) -> CardRow:
    # Positional (the order of _CARD_COLUMNS): a whole bank's cards are read at once.
    (cid, qid, state, step, stability, difficulty, due, last, reps, lapses) = tuple(r[:10])
    if state not in CARD_STATES:  # pragma: no cover - the CHECK constraint forbids it
        raise TrainerDBError(f"unknown card state {state!r} in the database")
    return CardRow(
        id=cid,
        question_id=qid,
        schedule=CardSchedule(
            state=state,
            step=step,
            stability=stability,
            difficulty=difficulty,
            due=None if due is None else EPOCH + timedelta(microseconds=due),
            last_review=None if last is None else EPOCH + timedelta(microseconds=last),
            reps=reps,
            lapses=lapses,
        ),
        suspended=bool(r[10]),
        flagged=bool(r[11]),
        leech=bool(r[12]),
        retired=bool(r[13]),
    )


def _answer_columns(card: CardRow) -> dict[str, Any]:
    """Everything an answer can change, as the ``cards`` columns hold it."""
    s = card.schedule
    return {
        "state": s.state,
        "step": s.step,
        "stability": s.stability,
        "difficulty": s.difficulty,
        "due": _opt_us(s.due),
        "last_review": _opt_us(s.last_review),
        "reps": s.reps,
        "lapses": s.lapses,
        "suspended": int(card.suspended),
        "leech": int(card.leech),
    }


def _snapshot(card: CardRow) -> str:
    """The card's answer columns as JSON, kept in the log for an exact undo."""
    return json.dumps(_answer_columns(card), sort_keys=True)


# Writes a card's answer columns: from the card after an answer, or from a snapshot on undo.
_SET_ANSWER_COLUMNS = (
    "UPDATE cards SET state = :state, step = :step, stability = :stability, "
    "difficulty = :difficulty, due = :due, last_review = :last_review, reps = :reps, "
    "lapses = :lapses, suspended = :suspended, leech = :leech WHERE id = :id"
)


def _is_locked(exc: sqlite3.OperationalError) -> bool:
    msg = str(exc).lower()
    return "locked" in msg or "busy" in msg


def _read_header(path: Path) -> bytes:
    try:
        with path.open("rb") as f:
            return f.read(100)
    except OSError as exc:
        raise TrainerDBError(f"Cannot read the database {path}: {exc.strerror or exc}.") from exc


def _check_header(path: Path, header: bytes, size: int) -> None:
    """Refuse, from the file's first 100 bytes alone, what is plainly not ours."""
    if not header.startswith(SQLITE_MAGIC):
        raise TrainerDBError(
            f"{path} is not a trainer database: it is not an SQLite database file. "
            "Move it away or choose another file with --db."
        )
    if len(header) < 100:
        raise TrainerDBError(f"{path} is damaged: the file is truncated (only {size} bytes).")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        raise TrainerDBError(f"{path} is damaged: its header is invalid.")
    change_counter = int.from_bytes(header[24:28], "big")
    valid_for = int.from_bytes(header[92:96], "big")
    page_count = int.from_bytes(header[28:32], "big")
    # With a write-ahead log beside it, a short file is what a crash in the middle of a checkpoint
    # leaves (page 1 copied back, later pages still in the log): SQLite recovers it, and the
    # quick_check in _inspect still catches real damage.
    wal = path.with_name(path.name + "-wal")
    has_wal = wal.is_file() and wal.stat().st_size > 0
    if change_counter == valid_for and size < page_count * page_size and not has_wal:
        raise TrainerDBError(
            f"{path} is damaged: the file is truncated ({size} of {page_count * page_size} bytes)."
        )
    app_id = int.from_bytes(header[68:72], "big")
    if app_id not in (0, APPLICATION_ID):
        raise TrainerDBError(
            f"{path} is not a trainer database: it belongs to another application "
            f"(application_id {app_id:#x}). Choose another file with --db."
        )


def _quick_check(conn: sqlite3.Connection, size: int, tables: set[str]) -> str:
    """SQLite's quick_check: of the whole file when it is small, else of every table but the
    review log (which grows without bound and is read only in bounded ranges; damage found there
    later is still reported as a TrainerDBError, see Store). Returns "ok" or the first problem."""
    if size <= FULL_CHECK_BYTES:
        return str(conn.execute("PRAGMA quick_check").fetchone()[0])
    for table in sorted(tables - {"review_log"}):
        if not table.replace("_", "").isalnum():
            continue  # not one of ours; refused below
        result = str(conn.execute(f"PRAGMA quick_check({table})").fetchone()[0])
        if result != "ok":
            return result
    return "ok"


def _inspect(path: Path) -> int:
    """The schema version of an existing file, read without writing to it.

    Returns 0 for an empty SQLite database (ours to initialise). Raises TrainerDBError for a file
    that is not SQLite, is damaged, belongs to another application, or is newer
    than this version knows.
    """
    size = path.stat().st_size
    _check_header(path, _read_header(path), size)
    uri = path.resolve().as_uri() + "?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise TrainerDBError(f"Cannot open the database {path}: {exc}.") from exc
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        objects = {
            (r[0], r[1])
            for r in conn.execute(
                "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
            )
        }
        check = _quick_check(conn, size, {name for kind, name in objects if kind == "table"})
    except sqlite3.OperationalError as exc:
        if _is_locked(exc):
            raise TrainerDBError(
                f"The database {path} is locked by another program; try again."
            ) from exc
        raise TrainerDBError(f"{path} is damaged or not a trainer database ({exc}).") from exc
    except sqlite3.DatabaseError as exc:
        raise TrainerDBError(f"{path} is damaged or not a trainer database ({exc}).") from exc
    finally:
        conn.close()
    if check != "ok":
        raise TrainerDBError(f"{path} is damaged: SQLite's check says {check!r}.")
    tables = {name for kind, name in objects if kind == "table"}
    if app_id == 0:
        # Ours to initialise only if it is a blank SQLite file: no schema, no version stamp.
        if objects:
            names = ", ".join(sorted(tables or {name for _, name in objects})[:5])
            raise TrainerDBError(
                f"{path} is not a trainer database: it holds another application's tables "
                f"or views ({names}). Choose another file with --db."
            )
        if version != 0:
            raise TrainerDBError(
                f"{path} is not a trainer database: another application marked it with schema "
                f"version {version}. Choose another file with --db."
            )
        return 0
    if app_id != APPLICATION_ID:  # pragma: no cover - caught from the header already
        raise TrainerDBError(f"{path} is not a trainer database.")
    if version > LATEST_VERSION:
        raise TrainerDBError(
            f"{path} was written by a newer version of trainer (schema {version}; this version "
            f"knows up to {LATEST_VERSION}). Upgrade trainer to use it."
        )
    expected = TABLES_AT.get(version, frozenset())
    if not expected <= tables:
        raise TrainerDBError(
            f"{path} is damaged: tables missing ({', '.join(sorted(expected - tables))})."
        )
    return int(version)


def backup_path(path: Path, now: datetime) -> Path:
    """``trainer.db.bak-20261126T101500Z`` beside ``path`` (a counter is added if taken)."""
    stamp = utc(now).strftime("%Y%m%dT%H%M%SZ")
    candidate = path.with_name(f"{path.name}.bak-{stamp}")
    n = 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}.bak-{stamp}-{n}")
    return candidate


class Store:
    """An open review database. Not thread-safe; one per Engine."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self._conn = conn
        self.backup: Path | None = None  # set when opening made a pre-migration backup

    # -- opening -------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path, *, now: datetime, target_version: int = LATEST_VERSION) -> Store:
        """Open (creating or migrating) the database at ``path``.

        ``target_version`` is for tests that need an old schema; normal callers leave it alone.
        """
        path = Path(path)
        exists = path.exists() and path.stat().st_size > 0
        if path.exists() and not path.is_file():
            raise TrainerDBError(f"{path} is not a file, so it cannot be the database.")
        version = _inspect(path) if exists else 0
        if not exists:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise TrainerDBError(
                    f"Cannot create the folder for the database {path}: {exc.strerror or exc}."
                ) from exc
        try:
            conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        except sqlite3.Error as exc:
            raise TrainerDBError(f"Cannot open the database {path}: {exc}.") from exc
        conn.row_factory = sqlite3.Row
        store = cls(path, conn)
        try:
            store._configure()
            if 0 < version < target_version:
                store.backup = store._backup(now)
            store._migrate(target_version)
        except TrainerDBError:
            conn.close()
            raise
        except sqlite3.Error as exc:
            conn.close()
            raise TrainerDBError(f"Cannot use the database {path}: {exc}.") from exc
        return store

    def _configure(self) -> None:
        c = self._conn
        c.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        c.execute("PRAGMA foreign_keys = ON")
        for attempt in range(LOCK_RETRIES):
            try:
                mode = c.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                break
            except sqlite3.OperationalError as exc:
                if not _is_locked(exc) or attempt == LOCK_RETRIES - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))
        if str(mode).lower() != "wal":
            raise TrainerDBError(
                f"Cannot use the database {self.path}: write-ahead logging is not available there."
            )
        c.execute("PRAGMA synchronous = FULL")

    def _backup(self, now: datetime) -> Path:
        target = backup_path(self.path, now)
        dest = sqlite3.connect(str(target))
        try:
            self._conn.backup(dest)
        finally:
            dest.close()
        return target

    def _migrate(self, target_version: int) -> None:
        with self.write():
            c = self._conn
            version = int(c.execute("PRAGMA user_version").fetchone()[0])
            if version == 0:
                tables = c.execute(
                    "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
                ).fetchone()[0]
                if tables:
                    raise TrainerDBError(f"{self.path} is not a trainer database.")
                c.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            for v in range(version, target_version):
                for statement in _statements(MIGRATIONS[v]):
                    c.execute(statement)
                c.execute(f"PRAGMA user_version = {v + 1}")

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self._conn.close()

    # -- transactions --------------------------------------------------------------------------

    @contextlib.contextmanager
    def write(self) -> Iterator[None]:
        """One write transaction (BEGIN IMMEDIATE ... COMMIT), retried while the db is locked."""
        c = self._conn
        for attempt in range(LOCK_RETRIES):
            try:
                c.execute("BEGIN IMMEDIATE")
                break
            except sqlite3.OperationalError as exc:
                if not _is_locked(exc) or attempt == LOCK_RETRIES - 1:
                    raise self._locked_error(exc) from exc
                time.sleep(0.05 * (attempt + 1))
        try:
            yield
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                c.execute("ROLLBACK")
            raise
        for attempt in range(LOCK_RETRIES):
            try:
                c.execute("COMMIT")
                return
            except sqlite3.OperationalError as exc:
                if not _is_locked(exc) or attempt == LOCK_RETRIES - 1:
                    with contextlib.suppress(sqlite3.Error):
                        c.execute("ROLLBACK")
                    raise self._locked_error(exc) from exc
                time.sleep(0.05 * (attempt + 1))

    @contextlib.contextmanager
    def read(self) -> Iterator[None]:
        """A consistent snapshot for several reads (within one already open: that one)."""
        c = self._conn
        if c.in_transaction:
            yield
            return
        c.execute("BEGIN")
        try:
            yield
        finally:
            with contextlib.suppress(sqlite3.Error):
                c.execute("COMMIT")

    def _locked_error(self, exc: sqlite3.OperationalError) -> Exception:
        if _is_locked(exc):
            return TrainerDBError(
                f"The database {self.path} stayed locked by another program; try again."
            )
        return exc

    def _damaged(self, exc: sqlite3.DatabaseError) -> Exception:
        """A TrainerDBError for SQLite's "the file is damaged" errors; other errors as they are."""
        code = getattr(exc, "sqlite_errorcode", None)
        if (code is not None and code & 0xFF in _DAMAGED_CODES) or "malformed" in str(exc):
            return TrainerDBError(
                f"{self.path} is damaged ({exc}). Restore it from a backup (a .bak- file beside "
                "it) or move it away."
            )
        return exc

    def _x(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> sqlite3.Cursor:
        """Execute one statement; damage found in the file becomes a clear TrainerDBError."""
        try:
            return self._conn.execute(sql, params)
        except sqlite3.DatabaseError as exc:
            err = self._damaged(exc)
            if err is exc:
                raise
            raise err from exc

    def _q(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        try:
            return self._conn.execute(sql, params).fetchall()
        except sqlite3.DatabaseError as exc:
            err = self._damaged(exc)
            if err is exc:
                raise
            raise err from exc

    # -- schema facts (for tests and diagnostics) -----------------------------------------------

    def pragma(self, name: str) -> Any:
        if not name.replace("_", "").isalnum():
            raise ValueError(f"not a pragma name: {name!r}")
        return self._x(f"PRAGMA {name}").fetchone()[0]

    def set_busy_timeout(self, ms: int) -> None:
        """How long SQLite itself waits for another writer's lock (then we retry; see write())."""
        self._x(f"PRAGMA busy_timeout = {int(ms)}")

    def due_query_plan(self, bank_id: str, before: datetime) -> list[str]:
        """EXPLAIN QUERY PLAN of the due-cards query."""
        rows = self._q("EXPLAIN QUERY PLAN " + _DUE_SQL, (bank_id, to_us(before)))
        return [str(r["detail"]) for r in rows]

    # -- cards ---------------------------------------------------------------------------------

    def _bank_cards(self, bank_id: str) -> dict[str, bool]:
        """question id -> retired, for every card of the bank."""
        cur = self._conn.cursor()
        cur.row_factory = None
        try:
            sql = "SELECT question_id, retired FROM cards WHERE bank_id = ?"
            return {qid: bool(retired) for qid, retired in cur.execute(sql, (bank_id,))}
        except sqlite3.DatabaseError as exc:
            err = self._damaged(exc)
            if err is exc:
                raise
            raise err from exc

    @staticmethod
    def _in_sync(existing: dict[str, bool], active_ids: Sequence[str]) -> bool:
        """Whether the cards already are exactly the active ids, none retired among them."""
        live = sum(1 for is_retired in existing.values() if not is_retired)
        return live == len(active_ids) and all(existing.get(q) is False for q in active_ids)

    def sync_bank(self, bank_id: str, active_ids: Sequence[str], now: datetime) -> SyncReport:
        """New ids become new cards; absent ids are retired; returning ids are revived.

        The usual case (nothing changed since the last start) is settled by one read, without
        taking the write lock."""
        if self._in_sync(self._bank_cards(bank_id), active_ids):
            return SyncReport()
        active = set(active_ids)
        added = retired = revived = 0
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
        return SyncReport(added=added, retired=retired, revived=revived)

    def card(self, bank_id: str, qid: str) -> CardRow | None:
        rows = self._q(
            f"SELECT {_CARD_COLUMNS} FROM cards WHERE bank_id = ? AND question_id = ?",
            (bank_id, qid),
        )
        return _card_from_row(rows[0]) if rows else None

    def cards(self, bank_id: str, *, include_retired: bool = False) -> list[CardRow]:
        sql = f"SELECT {_CARD_COLUMNS} FROM cards WHERE bank_id = ?"
        if not include_retired:
            sql += " AND retired = 0"
        return [_card_from_row(r) for r in self._q(sql + " ORDER BY id", (bank_id,))]

    def card_tuples(self, bank_id: str) -> list[CardTuple]:
        """The bank's active cards as plain tuples (see CardTuple), in id order: the cheapest
        whole-bank read, for the engine's cache."""
        sql = f"SELECT {_CARD_COLUMNS} FROM cards WHERE bank_id = ? AND retired = 0 ORDER BY id"
        try:
            cur = self._conn.cursor()
            cur.row_factory = None
            return cur.execute(sql, (bank_id,)).fetchall()
        except sqlite3.DatabaseError as exc:
            err = self._damaged(exc)
            if err is exc:
                raise
            raise err from exc

    def due_cards(self, bank_id: str, before: datetime) -> list[CardRow]:
        """Seen, active, unsuspended cards due before ``before``, soonest first (uses cards_due)."""
        return [_card_from_row(r) for r in self._q(_DUE_SQL, (bank_id, to_us(before)))]

    def new_cards(self, bank_id: str) -> list[CardRow]:
        return [
            _card_from_row(r)
            for r in self._q(
                f"SELECT {_CARD_COLUMNS} FROM cards WHERE bank_id = ? AND state = 'new' "
                "AND retired = 0 AND suspended = 0 ORDER BY id",
                (bank_id,),
            )
        ]

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

    # -- answers -------------------------------------------------------------------------------

    def save_answer(self, before: CardRow, after: CardRow, entry: NewLogEntry) -> int:
        """Within the caller's write(): update the card and append the log entry; its id."""
        self._x(_SET_ANSWER_COLUMNS, {**_answer_columns(after), "id": before.id})
        cur = self._x(
            "INSERT INTO review_log (card_id, time, rating, correct, response, duration_ms, mode, "
            "scheduled, state_before, state_after, card_before, card_after) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                before.id,
                to_us(entry.time),
                entry.rating,
                None if entry.correct is None else int(entry.correct),
                entry.response,
                entry.duration_ms,
                entry.mode,
                int(entry.scheduled),
                before.state,
                after.state,
                _snapshot(before),
                _snapshot(after),
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
            snapshot = json.loads(rows[0]["card_before"])
            self._x(_SET_ANSWER_COLUMNS, {**snapshot, "id": rows[0]["card_id"]})
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

    # -- aggregates for statistics (bounded work: indexes, no whole-log reads into Python) ------

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

    def integrity_check(self) -> str:
        return str(self._q("PRAGMA integrity_check")[0][0])

    # -- settings ------------------------------------------------------------------------------

    def get_setting(self, key: str) -> str | None:
        rows = self._q("SELECT value FROM settings WHERE key = ?", (key,))
        return str(rows[0][0]) if rows else None

    def set_setting(self, key: str, value: str) -> None:
        with self.write():
            self._x(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    # -- exams ---------------------------------------------------------------------------------

    def record_exam(self, bank_id: str, result: ExamResult) -> int:
        with self.write():
            cur = self._x(
                "INSERT INTO exam_results (bank_id, started, finished, seed, question_ids, "
                "correct_ids, by_topic) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    bank_id,
                    to_us(result.started),
                    to_us(result.finished),
                    result.seed,
                    json.dumps(list(result.question_ids)),
                    json.dumps(list(result.correct_ids)),
                    json.dumps({k: list(v) for k, v in result.by_topic.items()}),
                ),
            )
        assert cur.lastrowid is not None
        return cur.lastrowid

    def exam_results(self, bank_id: str) -> list[ExamResult]:
        return [
            ExamResult(
                started=from_us(r["started"]),
                finished=from_us(r["finished"]),
                seed=r["seed"],
                question_ids=tuple(json.loads(r["question_ids"])),
                correct_ids=tuple(json.loads(r["correct_ids"])),
                by_topic={k: (int(v[0]), int(v[1])) for k, v in json.loads(r["by_topic"]).items()},
                id=r["id"],
            )
            for r in self._q(
                "SELECT * FROM exam_results WHERE bank_id = ? ORDER BY started, id", (bank_id,)
            )
        ]

    # -- whole histories: export, import and rescheduling (trainer/engine/history.py) ----------

    def review_rows(self, bank_id: str) -> list[tuple[int, str, int, int, int, str, bool]]:
        """Every log entry of the bank's cards (retired ones included), by card then time:
        (log id, question id, time in UTC us, rating, duration ms, mode, scheduled)."""
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
        cur = self._x(
            "INSERT INTO review_log (card_id, time, rating, correct, response, duration_ms, mode, "
            "scheduled, state_before, state_after, card_before, card_after) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'new', 'new', '{}', '{}')",
            (
                card_id,
                to_us(entry.time),
                entry.rating,
                None if entry.correct is None else int(entry.correct),
                entry.response,
                entry.duration_ms,
                entry.mode,
                int(entry.scheduled),
            ),
        )
        assert cur.lastrowid is not None
        return cur.lastrowid

    def rewrite_history(self, card: CardRow, steps: Sequence[tuple[int, CardRow, CardRow]]) -> None:
        """Within the caller's write(): store a card's recomputed schedule and, per replayed log
        entry (log id, card before, card after), its states and snapshots."""
        self._x(_SET_ANSWER_COLUMNS, {**_answer_columns(card), "id": card.id})
        for log_id, before, after in steps:
            self._x(
                "UPDATE review_log SET state_before = ?, state_after = ?, card_before = ?, "
                "card_after = ? WHERE id = ?",
                (before.state, after.state, _snapshot(before), _snapshot(after), log_id),
            )

    def reset_card(self, bank_id: str, qid: str) -> bool:
        """Forget a card: back to new (no schedule, no reps or lapses, not a leech), as Anki's
        "Forget". Its review log, flag and suspension are kept. Whether the card exists."""
        with self.write():
            cur = self._x(
                "UPDATE cards SET state = 'new', step = NULL, stability = NULL, "
                "difficulty = NULL, due = NULL, last_review = NULL, reps = 0, lapses = 0, "
                "leech = 0 WHERE bank_id = ? AND question_id = ?",
                (bank_id, qid),
            )
        return cur.rowcount > 0

    def correct_counts(self, bank_id: str) -> dict[str, tuple[int, int]]:
        """Per question id: (right, answered) over every answer logged, in any mode (a QBank's
        "percent correct"); a self-rated answer (recall) is right unless rated Again."""
        sql = (
            "SELECT c.question_id, count(*) AS answered, sum(CASE WHEN l.correct IS NULL "
            "THEN l.rating > 1 ELSE l.correct END) AS right FROM review_log l "
            "JOIN cards c ON c.id = l.card_id WHERE c.bank_id = ? GROUP BY c.question_id"
        )
        return {r[0]: (int(r[2]), int(r[1])) for r in self._q(sql, (bank_id,))}


_DUE_SQL = (
    f"SELECT {_CARD_COLUMNS} FROM cards WHERE bank_id = ? AND due < ? "
    "AND retired = 0 AND suspended = 0 AND state != 'new' ORDER BY due"
)


def _statements(script: str) -> Iterable[str]:
    """Split a migration script into statements (the scripts hold no ';' inside literals)."""
    return (s.strip() for s in script.split(";") if s.strip())
