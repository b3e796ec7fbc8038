"""The database schema as a numbered list of migration scripts (run only by the store).

``MIGRATIONS[i]`` takes a database from ``PRAGMA user_version = i`` to ``i + 1``. Never edit a
released script: append a new one. Times are integers, UTC microseconds since the Unix epoch.
"""

from __future__ import annotations

# "TRNR": marks a SQLite file as a trainer database (PRAGMA application_id).
APPLICATION_ID = 0x54524E52

MIGRATIONS: tuple[str, ...] = (
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
)

LATEST_VERSION = len(MIGRATIONS)

# Tables a trainer database at LATEST_VERSION has (checked when opening).
TABLES_AT: dict[int, frozenset[str]] = {
    1: frozenset({"cards", "review_log", "settings"}),
    2: frozenset({"cards", "review_log", "settings", "exam_results"}),
    3: frozenset({"cards", "review_log", "settings", "exam_results"}),
    4: frozenset({"cards", "review_log", "settings", "exam_results", "sessions"}),
}
