"""Write transactions: all-or-nothing answers, waiting out another writer's lock, a clear error if
the lock never clears."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "helpers"))
from engine_kit import Clock, answer, make_bank, open_engine

from trainer.engine import Rating, TrainerDBError
from trainer.engine.store import connection as connection_mod
from trainer.engine.store import log as log_mod

BANK = make_bank({"A": {"a": 2}})


def test_an_answer_that_fails_midway_leaves_no_trace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = open_engine(BANK, tmp_path / "t.db")
    answer(engine, "a-1", Rating.GOOD)
    before = engine.card_info("a-1")

    def boom(card: object) -> tuple[object, ...]:
        raise RuntimeError("disk on fire")

    # the card row is updated first, then the snapshot for the log entry fails
    monkeypatch.setattr(log_mod, "snapshot_values", boom)
    with pytest.raises(RuntimeError, match="disk on fire"):
        answer(engine, "a-1", Rating.GOOD)
    monkeypatch.undo()
    assert engine.card_info("a-1") == before
    assert len(engine.history("a-1")) == 1
    assert engine.undo() == "a-1"  # the failed answer did not join the undo stack
    assert engine.card_info("a-1").reps == 0
    engine.close()


def _hold_write_lock(db: Path) -> sqlite3.Connection:
    blocker = sqlite3.connect(db, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    return blocker


def test_a_locked_database_is_waited_for_and_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "t.db"
    engine = open_engine(BANK, db, Clock())
    engine.store.set_busy_timeout(0)  # make SQLite give up at once, so we retry
    blocker = _hold_write_lock(db)
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        if len(sleeps) == 2:
            blocker.execute("COMMIT")  # the other writer finishes while we wait

    monkeypatch.setattr(connection_mod.time, "sleep", sleep)
    answer(engine, "a-1", Rating.GOOD)
    assert len(sleeps) == 2
    assert engine.card_info("a-1").reps == 1
    blocker.close()
    engine.close()


def test_a_lock_that_never_clears_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "t.db"
    engine = open_engine(BANK, db, Clock())
    engine.store.set_busy_timeout(0)
    blocker = _hold_write_lock(db)
    engine.store.lock_wait = 0.3
    with pytest.raises(TrainerDBError, match="locked by another program") as err:
        answer(engine, "a-1", Rating.GOOD)
    assert err.value.kind == "locked" and err.value.retryable
    assert not engine.can_undo()
    blocker.execute("ROLLBACK")
    blocker.close()
    assert engine.card_info("a-1").reps == 0
    engine.close()


def test_the_clock_must_be_timezone_aware(tmp_path: Path) -> None:
    from datetime import datetime

    with pytest.raises(ValueError, match="timezone-aware"):
        open_engine(BANK, tmp_path / "t.db", Clock(datetime(2026, 1, 1)))  # type: ignore[arg-type]


class _Recorder:
    """A connection's sqlite3 connection, recording the statements run through it."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.sql: list[str] = []

    def execute(self, sql: str, *args: object) -> sqlite3.Cursor:
        self.sql.append(sql)
        return self.conn.execute(sql, *args)

    def __getattr__(self, name: str) -> object:
        return getattr(self.conn, name)


def test_a_write_never_waits_in_sqlites_busy_handler(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite's handler sleeps in growing steps (up to 100 ms): BEGIN IMMEDIATE is polled with
    its wait off from the first attempt, and the wait set for other statements comes back."""
    engine = open_engine(BANK, tmp_path / "t.db", Clock())
    recorder = _Recorder(engine.store._conn)
    monkeypatch.setattr(engine.store, "_conn", recorder)
    answer(engine, "a-1", Rating.GOOD)
    begin = recorder.sql.index("BEGIN IMMEDIATE")
    assert "PRAGMA busy_timeout = 0" in recorder.sql[:begin]
    assert f"PRAGMA busy_timeout = {connection_mod.BUSY_TIMEOUT_MS}" in recorder.sql[begin:]
    engine.store.set_busy_timeout(40)
    recorder.sql.clear()
    answer(engine, "a-1", Rating.GOOD)
    assert "PRAGMA busy_timeout = 40" in recorder.sql  # kept, not reset to the default
    engine.close()


def test_a_lone_writer_gives_no_turn_after_one_other_commit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app's other connection commits once (a flag in browse), then this one commits many
    times in a row (keys replayed): nobody waits, so no turn is given (each would wait 50 ms).
    Another writer seen twice, committing between this one's, is given its turn."""
    db = tmp_path / "t.db"
    clock = Clock()
    mine, other = open_engine(BANK, db, clock), open_engine(BANK, db, clock)
    turns: list[int] = []
    monkeypatch.setattr(mine.store, "_give_turn", lambda: turns.append(mine.store.commits))
    answer(mine, "a-1")
    answer(other, "a-2")
    for _ in range(3 * connection_mod.TURN_COMMITS):
        answer(mine, "a-1")
    assert turns == []
    answer(other, "a-2")
    answer(mine, "a-1")
    answer(other, "a-2")  # seen twice within OTHERS_SEEN: a writer taking turns
    for _ in range(connection_mod.TURN_COMMITS + 1):
        answer(mine, "a-1")
    assert len(turns) == 1
    mine.close()
    other.close()
