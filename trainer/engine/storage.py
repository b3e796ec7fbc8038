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


def _card_from_row(r: sqlite3.Row) -> CardRow:
    state = r["state"]
    if state not in CARD_STATES:  # pragma: no cover - the CHECK constraint forbids it
        raise TrainerDBError(f"unknown card state {state!r} in the database")
    return CardRow(
        id=r["id"],
        question_id=r["question_id"],
        schedule=CardSchedule(
            state=state,
            step=r["step"],
            stability=r["stability"],
            difficulty=r["difficulty"],
            due=_opt_dt(r["due"]),
            last_review=_opt_dt(r["last_review"]),
            reps=r["reps"],
            lapses=r["lapses"],
        ),
        suspended=bool(r["suspended"]),
        flagged=bool(r["flagged"]),
        leech=bool(r["leech"]),
        retired=bool(r["retired"]),
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
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
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
        """A consistent snapshot for several reads."""
        c = self._conn
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

    def _q(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        return self._conn.execute(sql, params).fetchall()

    # -- schema facts (for tests and diagnostics) -----------------------------------------------

    def pragma(self, name: str) -> Any:
        if not name.replace("_", "").isalnum():
            raise ValueError(f"not a pragma name: {name!r}")
        return self._conn.execute(f"PRAGMA {name}").fetchone()[0]

    def set_busy_timeout(self, ms: int) -> None:
        """How long SQLite itself waits for another writer's lock (then we retry; see write())."""
        self._conn.execute(f"PRAGMA busy_timeout = {int(ms)}")

    def due_query_plan(self, bank_id: str, before: datetime) -> list[str]:
        """EXPLAIN QUERY PLAN of the due-cards query."""
        rows = self._q("EXPLAIN QUERY PLAN " + _DUE_SQL, (bank_id, to_us(before)))
        return [str(r["detail"]) for r in rows]

    # -- cards ---------------------------------------------------------------------------------

    def sync_bank(self, bank_id: str, active_ids: Sequence[str], now: datetime) -> SyncReport:
        """New ids become new cards; absent ids are retired; returning ids are revived."""
        active = set(active_ids)
        added = retired = revived = 0
        with self.write():
            existing = {
                r["question_id"]: bool(r["retired"])
                for r in self._q(
                    "SELECT question_id, retired FROM cards WHERE bank_id = ?", (bank_id,)
                )
            }
            created = to_us(now)
            for qid in active_ids:
                if qid not in existing:
                    self._conn.execute(
                        "INSERT INTO cards (bank_id, question_id, created) VALUES (?, ?, ?)",
                        (bank_id, qid, created),
                    )
                    existing[qid] = False
                    added += 1
                elif existing[qid]:
                    self._conn.execute(
                        "UPDATE cards SET retired = 0 WHERE bank_id = ? AND question_id = ?",
                        (bank_id, qid),
                    )
                    revived += 1
            for qid, is_retired in existing.items():
                if qid not in active and not is_retired:
                    self._conn.execute(
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
            cur = self._conn.execute(
                "UPDATE cards SET flagged = ? WHERE bank_id = ? AND question_id = ?",
                (int(flagged), bank_id, qid),
            )
        return cur.rowcount > 0

    def set_suspended(self, bank_id: str, qid: str, suspended: bool) -> bool:
        with self.write():
            cur = self._conn.execute(
                "UPDATE cards SET suspended = ? WHERE bank_id = ? AND question_id = ?",
                (int(suspended), bank_id, qid),
            )
        return cur.rowcount > 0

    # -- answers -------------------------------------------------------------------------------

    def save_answer(self, before: CardRow, after: CardRow, entry: NewLogEntry) -> int:
        """Within the caller's write(): update the card and append the log entry; its id."""
        self._conn.execute(_SET_ANSWER_COLUMNS, {**_answer_columns(after), "id": before.id})
        cur = self._conn.execute(
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
            self._conn.execute(_SET_ANSWER_COLUMNS, {**snapshot, "id": rows[0]["card_id"]})
            self._conn.execute("DELETE FROM review_log WHERE id = ?", (log_id,))
        return str(rows[0]["question_id"])

    def log_since(self, bank_id: str, since: datetime | None = None) -> list[LogRow]:
        """Log entries of the bank's cards (at or after ``since``), oldest first."""
        sql = (
            "SELECT l.id, c.question_id, l.time, l.rating, l.correct, l.mode, l.scheduled, "
            "l.state_before FROM review_log l JOIN cards c ON c.id = l.card_id "
            "WHERE c.bank_id = ?"
        )
        params: list[Any] = [bank_id]
        if since is not None:
            sql += " AND l.time >= ?"
            params.append(to_us(since))
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

    def integrity_check(self) -> str:
        return str(self._q("PRAGMA integrity_check")[0][0])

    # -- settings ------------------------------------------------------------------------------

    def get_setting(self, key: str) -> str | None:
        rows = self._q("SELECT value FROM settings WHERE key = ?", (key,))
        return str(rows[0][0]) if rows else None

    def set_setting(self, key: str, value: str) -> None:
        with self.write():
            self._conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    # -- exams ---------------------------------------------------------------------------------

    def record_exam(self, bank_id: str, result: ExamResult) -> int:
        with self.write():
            cur = self._conn.execute(
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


_DUE_SQL = (
    f"SELECT {_CARD_COLUMNS} FROM cards WHERE bank_id = ? AND due < ? "
    "AND retired = 0 AND suspended = 0 AND state != 'new' ORDER BY due"
)


def _statements(script: str) -> Iterable[str]:
    """Split a migration script into statements (the scripts hold no ';' inside literals)."""
    return (s.strip() for s in script.split(";") if s.strip())
