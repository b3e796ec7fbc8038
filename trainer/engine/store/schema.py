"""The database schema as a numbered list of migrations (run only by the store).

``MIGRATIONS[i]`` takes a database from ``PRAGMA user_version = i`` to ``i + 1``: a script, or a
function of the connection (run inside the migration's one transaction). Never edit a released
migration: append a new one. Times are integers, UTC microseconds since the Unix epoch.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable

from trainer.engine.store.codec import (
    CORRECT_SQL,
    MODE_SQL,
    PASSED_SQL,
    RATING_SQL,
    RESPONSE_SQL,
    REVIEWED_SQL,
    RIGHT_SQL,
    SCHEDULED_SQL,
    STATE_SQL,
    pack_flags,
    pack_response,
)

# "TRNR": marks a SQLite file as a trainer database (PRAGMA application_id).
APPLICATION_ID = 0x54524E52

Migration = str | Callable[[sqlite3.Connection], None]

HOUR_US = 60 * 60 * 1_000_000  # log_hours: answers counted per hour (UTC)


def hour_sql(t: str) -> str:
    """floor(t / HOUR_US) in SQL (integer division truncates toward zero)."""
    h = HOUR_US
    return f"(({t}) - ((({t}) % {h}) + {h}) % {h}) / {h}"


# 5: the compact review log. ``revlog`` keeps per answer one integer of flags (rating, mode,
# scheduled, correct, and the card's state, suspension and leech tag before it; codec.pack_flags),
# the response in a short form (codec.pack_response) and the card before the answer as a few
# numeric columns (for an exact undo; the card after it is the next entry's "before", or the card
# itself). Two indexes: by card (a card's history, undo, the last result) and by time (today's
# log, days not counted whole by log_hours). Counters kept by triggers in the same transaction
# as every change to the log: per card (answers, right answers, scheduled answers in the review
# state and those passed) and per bank and hour (answers), so that statistics never
# scan the log. ``review_log`` becomes a view with the old columns (for reading by hand).
# Released with schema 5, and so never to be changed: these statements, migrate_to_5, and the
# stored forms it writes (codec.pack_flags, pack_response, SNAPSHOT_COLUMNS and the SQL that
# reads them); a later schema adds a migration of its own.
REVLOG_SCHEMA: tuple[str, ...] = (
    """
    CREATE TABLE revlog (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        card_id INTEGER NOT NULL REFERENCES cards (id),
        time INTEGER NOT NULL,
        flags INTEGER NOT NULL,
        duration_ms INTEGER NOT NULL,
        response ANY,
        step INTEGER,
        stability REAL,
        difficulty REAL,
        due INTEGER,
        last_review INTEGER,
        reps INTEGER,
        lapses INTEGER
    )
    """,
    """
    CREATE TABLE card_counts (
        card_id INTEGER PRIMARY KEY REFERENCES cards (id),
        answered INTEGER NOT NULL,
        right_answers INTEGER NOT NULL,
        retention_total INTEGER NOT NULL,
        retention_passed INTEGER NOT NULL
    )
    """,
    """
    CREATE TABLE log_hours (
        bank_id TEXT NOT NULL,
        hour INTEGER NOT NULL,
        answers INTEGER NOT NULL,
        PRIMARY KEY (bank_id, hour)
    ) WITHOUT ROWID
    """,
)
REVLOG_INDEXES: tuple[str, ...] = (
    "CREATE INDEX revlog_card ON revlog (card_id)",
    "CREATE INDEX revlog_time ON revlog (time)",
)


def _count_in(row: str) -> tuple[str, ...]:
    l_ = f"{row}."
    right, reviewed, passed = (x.replace("l.", l_) for x in (RIGHT_SQL, REVIEWED_SQL, PASSED_SQL))
    return (
        "INSERT INTO card_counts (card_id, answered, right_answers, retention_total, "
        f"retention_passed) VALUES ({row}.card_id, 1, {right}, {reviewed}, {passed}) "
        "ON CONFLICT (card_id) DO UPDATE SET answered = answered + 1, "
        "right_answers = right_answers + excluded.right_answers, "
        "retention_total = retention_total + excluded.retention_total, "
        "retention_passed = retention_passed + excluded.retention_passed;",
        "INSERT INTO log_hours (bank_id, hour, answers) SELECT bank_id, "
        f"{hour_sql(row + '.time')}, 1 FROM cards WHERE id = {row}.card_id "
        "ON CONFLICT (bank_id, hour) DO UPDATE SET answers = answers + 1;",
    )


def _count_out(row: str) -> tuple[str, ...]:
    l_ = f"{row}."
    right, reviewed, passed = (x.replace("l.", l_) for x in (RIGHT_SQL, REVIEWED_SQL, PASSED_SQL))
    hour = (
        f"bank_id = (SELECT bank_id FROM cards WHERE id = {row}.card_id) "
        f"AND hour = {hour_sql(row + '.time')}"
    )
    return (
        f"UPDATE card_counts SET answered = answered - 1, right_answers = right_answers - {right}, "
        f"retention_total = retention_total - {reviewed}, "
        f"retention_passed = retention_passed - {passed} WHERE card_id = {row}.card_id;",
        f"DELETE FROM card_counts WHERE card_id = {row}.card_id AND answered <= 0;",
        f"UPDATE log_hours SET answers = answers - 1 WHERE {hour};",
        f"DELETE FROM log_hours WHERE {hour} AND answers <= 0;",
    )


COUNTER_TRIGGERS: tuple[str, ...] = (
    "CREATE TRIGGER revlog_insert AFTER INSERT ON revlog BEGIN "
    + " ".join(_count_in("NEW"))
    + " END",
    "CREATE TRIGGER revlog_delete AFTER DELETE ON revlog BEGIN "
    + " ".join(_count_out("OLD"))
    + " END",
    "CREATE TRIGGER revlog_update AFTER UPDATE OF card_id, time, flags ON revlog BEGIN "
    + " ".join(_count_out("OLD") + _count_in("NEW"))
    + " END",
)

# The counters counted from scratch over the whole log.
_CARD_SCAN = (
    f"SELECT l.card_id, count(*), sum({RIGHT_SQL}), sum({REVIEWED_SQL}), sum({PASSED_SQL}) "
    "FROM revlog l GROUP BY l.card_id"
)
_HOUR_SCAN = (
    "SELECT c.bank_id, l.q, count(*) FROM "
    f"(SELECT card_id, {hour_sql('time')} AS q FROM revlog) l JOIN cards c ON c.id = l.card_id "
    "GROUP BY c.bank_id, l.q"
)

# The counters rebuilt (the migration's backfill; bench/gen_reviews.py after a bulk insert).
COUNTER_REBUILD: tuple[str, ...] = (
    "DELETE FROM card_counts",
    "DELETE FROM log_hours",
    "INSERT INTO card_counts (card_id, answered, right_answers, retention_total, "
    f"retention_passed) {_CARD_SCAN}",
    f"INSERT INTO log_hours (bank_id, hour, answers) {_HOUR_SCAN}",
)


def counter_scan_sql() -> str:
    """Both counters from scratch, as rows ('c', card_id, answered, right_answers,
    retention_total, retention_passed) and ('h', bank_id, hour, answers, 0, 0)."""
    return f"SELECT 'c', * FROM ({_CARD_SCAN}) UNION ALL SELECT 'h', *, 0, 0 FROM ({_HOUR_SCAN})"


REVIEW_LOG_VIEW = (
    "CREATE VIEW review_log AS SELECT l.id AS id, l.card_id AS card_id, l.time AS time, "
    f"{RATING_SQL} AS rating, {CORRECT_SQL} AS correct, {RESPONSE_SQL} AS response, "
    f"l.duration_ms AS duration_ms, {MODE_SQL} AS mode, {SCHEDULED_SQL} AS scheduled, "
    f"{STATE_SQL} AS state_before FROM revlog l"
)

_OLD_COLUMNS = (
    "id, card_id, time, rating, correct, response, duration_ms, mode, scheduled, state_before, "
    "card_before"
)


def _v4_row(r: tuple[object, ...]) -> tuple[object, ...]:
    """A schema-4 review_log row as a revlog row (the snapshot's JSON parsed here, in Python,
    so that every float comes back exactly as it was written)."""
    log_id, card_id, t, rating, correct, response, ms, mode, scheduled, state, before = r
    snap = json.loads(str(before)) if before else {}
    if not isinstance(snap, dict):
        snap = {}
    flags = pack_flags(
        int(rating),  # type: ignore[call-overload]
        str(mode),
        bool(scheduled),
        None if correct is None else bool(correct),
        str(state),
        bool(snap.get("suspended", 0)),
        bool(snap.get("leech", 0)),
    )
    return (
        log_id,
        card_id,
        t,
        flags,
        ms,
        pack_response(str(response)),
        snap.get("step"),
        snap.get("stability"),
        snap.get("difficulty"),
        snap.get("due"),
        snap.get("last_review"),
        snap.get("reps"),
        snap.get("lapses"),
    )


def migrate_to_5(c: sqlite3.Connection) -> None:
    """Schema 4 -> 5: every review_log row copied into revlog (same id, time, rating, correct,
    response text, duration, mode, scheduled, state and card before), the counters built from it,
    the old table dropped. Inside the caller's transaction: all of it or nothing."""
    for statement in REVLOG_SCHEMA:
        c.execute(statement)
    insert = f"INSERT INTO revlog VALUES ({', '.join('?' * 13)})"
    cur = c.execute(f"SELECT {_OLD_COLUMNS} FROM review_log ORDER BY id")
    while batch := cur.fetchmany(20_000):
        c.executemany(insert, [_v4_row(tuple(r)) for r in batch])
    old_seq = c.execute("SELECT seq FROM sqlite_sequence WHERE name = 'review_log'").fetchone()
    if old_seq is not None:  # ids are never reused, those of undone answers included
        cur = c.execute(
            "UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'revlog'", (old_seq[0],)
        )
        if cur.rowcount == 0:
            c.execute("INSERT INTO sqlite_sequence (name, seq) VALUES ('revlog', ?)", old_seq)
    c.execute("DROP TABLE review_log")
    for statement in REVLOG_INDEXES + COUNTER_REBUILD + COUNTER_TRIGGERS:
        c.execute(statement)
    c.execute(REVIEW_LOG_VIEW)


MIGRATIONS: tuple[Migration, ...] = (
    # 1: cards, the append-only review log, settings.
    """
    CREATE TABLE cards (
        id INTEGER PRIMARY KEY,
        bank_id TEXT NOT NULL,
        question_id TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'new'
            CHECK (state IN ('new', 'learning', 'review', 'relearning')),
        step INTEGER,
        stability REAL,
        difficulty REAL,
        due INTEGER,
        last_review INTEGER,
        reps INTEGER NOT NULL DEFAULT 0,
        lapses INTEGER NOT NULL DEFAULT 0,
        suspended INTEGER NOT NULL DEFAULT 0,
        flagged INTEGER NOT NULL DEFAULT 0,
        leech INTEGER NOT NULL DEFAULT 0,
        retired INTEGER NOT NULL DEFAULT 0,
        created INTEGER NOT NULL,
        UNIQUE (bank_id, question_id)
    );
    CREATE INDEX cards_due ON cards (bank_id, due);
    CREATE TABLE review_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        card_id INTEGER NOT NULL REFERENCES cards (id),
        time INTEGER NOT NULL,
        rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
        correct INTEGER,
        response TEXT NOT NULL,
        duration_ms INTEGER NOT NULL,
        mode TEXT NOT NULL CHECK (mode IN ('study', 'practice', 'exam')),
        scheduled INTEGER NOT NULL,
        state_before TEXT NOT NULL,
        state_after TEXT NOT NULL,
        card_before TEXT NOT NULL,
        card_after TEXT NOT NULL
    );
    CREATE INDEX review_log_card ON review_log (card_id, time);
    CREATE INDEX review_log_time ON review_log (time);
    CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
    # 2: exam results.
    """
    CREATE TABLE exam_results (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        bank_id TEXT NOT NULL,
        started INTEGER NOT NULL,
        finished INTEGER NOT NULL,
        seed INTEGER NOT NULL,
        question_ids TEXT NOT NULL,
        correct_ids TEXT NOT NULL,
        by_topic TEXT NOT NULL
    );
    CREATE INDEX exam_results_bank ON exam_results (bank_id, started);
    """,
    # 3: indexes for statistics computed by SQL aggregates: scheduled answers to review-state
    # cards per card (true retention), and (time, card_id) so a range of days is counted from the
    # index alone (it replaces the index on time).
    """
    CREATE INDEX review_log_retention ON review_log (card_id, rating)
        WHERE scheduled = 1 AND state_before = 'review';
    CREATE INDEX review_log_time_card ON review_log (time, card_id);
    DROP INDEX review_log_time;
    """,
    # 4: sessions in progress (study, practice, exam), one of each kind per bank, kept as the
    # sessions layer's JSON so that a session survives a quit, a crash or a power cut.
    """
    CREATE TABLE sessions (
        bank_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('study', 'practice', 'exam')),
        state TEXT NOT NULL,
        updated INTEGER NOT NULL,
        PRIMARY KEY (bank_id, kind)
    );
    """,
    migrate_to_5,
)

LATEST_VERSION = len(MIGRATIONS)

# Tables a trainer database at LATEST_VERSION has (checked when opening).
TABLES_AT: dict[int, frozenset[str]] = {
    1: frozenset({"cards", "review_log", "settings"}),
    2: frozenset({"cards", "review_log", "settings", "exam_results"}),
    3: frozenset({"cards", "review_log", "settings", "exam_results"}),
    4: frozenset({"cards", "review_log", "settings", "exam_results", "sessions"}),
    5: frozenset(
        {"cards", "revlog", "settings", "exam_results", "sessions", "card_counts", "log_hours"}
    ),
}
# The tables that grow with the history: not checked whole when a large file is opened.
LOG_TABLES = frozenset({"review_log", "revlog", "log_hours"})
