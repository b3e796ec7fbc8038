"""Opening and reading a database whose review log is large: migration 3 (indexes for statistics),
a bounded integrity check on open, and damage in the log reported clearly when it is met later."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "helpers"))
from engine_kit import T0, Clock, answer, make_bank, open_engine

from trainer.engine import Rating, TrainerDBError
from trainer.engine.store import Store
from trainer.engine.store import inspect as storage_mod
from trainer.engine.store.schema import LATEST_VERSION

BANK = make_bank({"A": {"a": 2}, "B": {"b": 1}})


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _indexes(db: Path) -> set[str]:
    conn = sqlite3.connect(db)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    finally:
        conn.close()


def test_a_version_2_database_is_backed_up_and_migrated_to_the_compact_log(
    tmp_path: Path,
) -> None:
    db = tmp_path / "trainer.db"
    Store.open(db, now=T0, target_version=2).close()
    conn = sqlite3.connect(db)
    snap = json.dumps({"state": "review"})
    conn.execute("INSERT INTO cards (id, bank_id, question_id, created) VALUES (1, 'b', 'a-1', 0)")
    rows = [  # (rating, scheduled, state_before): 2 of 3 scheduled review answers pass
        (3, 1, "review"),
        (1, 1, "review"),
        (4, 1, "review"),
        (3, 0, "review"),  # practice, not scheduled: not in retention
        (3, 1, "new"),
    ]
    for i, (rating, scheduled, before) in enumerate(rows):
        conn.execute(
            "INSERT INTO review_log (card_id, time, rating, correct, response, duration_ms, mode, "
            "scheduled, state_before, state_after, card_before, card_after) "
            "VALUES (1, ?, ?, 1, 'null', 1000, 'study', ?, ?, 'review', ?, ?)",
            (1_700_000_000_000_000 + i, rating, scheduled, before, snap, snap),
        )
    conn.commit()
    conn.close()
    assert "review_log_time" in _indexes(db)
    before = digest(db)

    engine = open_engine(BANK, db, Clock(T0))
    backup = engine.store.backup
    assert backup is not None and backup.is_file()
    assert engine.store.pragma("user_version") == LATEST_VERSION == 5
    s = engine.stats()
    assert s.reviews == 5
    assert s.true_retention == pytest.approx(2 / 3)
    assert s.by_topic["A"].retention == pytest.approx(2 / 3)
    engine.close()
    old = sqlite3.connect(backup)  # the backup is the version-2 database as it was
    assert old.execute("PRAGMA user_version").fetchone()[0] == 2
    assert old.execute("SELECT count(*) FROM review_log").fetchone()[0] == 5
    old.close()
    assert digest(db) != before
    indexes = _indexes(db)
    assert {"revlog_card", "revlog_time"} <= indexes  # the compact log's two indexes, only
    assert not {i for i in indexes if i.startswith("review_log")}


def _with_history(tmp_path: Path) -> Path:
    db = tmp_path / "t.db"
    clock = Clock(T0)
    engine = open_engine(BANK, db, clock)
    for _ in range(150):  # enough rows for the log to span several pages
        answer(engine, "a-1", Rating.GOOD, mode="practice")
        clock.advance(minutes=1)
    engine.close()
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return db


def _scribble_over(db: Path, table: str) -> None:
    conn = sqlite3.connect(db)
    (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    conn.close()
    data = bytearray(db.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    start = (root - 1) * page
    data[start : start + page] = b"\xa5" * page
    db.write_bytes(bytes(data))


def test_a_large_file_is_opened_without_checking_the_whole_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above FULL_CHECK_BYTES only the other tables are checked on open; damage in the log is
    reported as a clear TrainerDBError when it is read, and the file is never written."""
    db = _with_history(tmp_path)
    _scribble_over(db, "revlog")
    before = digest(db)
    with pytest.raises(TrainerDBError, match="damaged"):  # small: the whole file is checked
        open_engine(BANK, db)
    assert digest(db) == before

    monkeypatch.setattr(storage_mod, "FULL_CHECK_BYTES", 0)  # treat it as a large file
    engine = open_engine(BANK, db)
    assert engine.card_info("a-2").state == "new"  # the cards are fine
    with pytest.raises(TrainerDBError, match="damaged") as info:
        engine.history("a-1")  # reads the log's rows
    assert str(db) in str(info.value)
    with pytest.raises(TrainerDBError, match="damaged"):
        engine.next_question()  # today's log
    with pytest.raises(TrainerDBError, match="damaged"):
        answer(engine, "a-2", Rating.GOOD)
    engine.close()
    assert digest(db) == before


def test_damage_in_the_cards_is_still_refused_on_open_for_a_large_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = _with_history(tmp_path)
    _scribble_over(db, "cards")
    before = digest(db)
    monkeypatch.setattr(storage_mod, "FULL_CHECK_BYTES", 0)
    with pytest.raises(TrainerDBError, match="damaged") as info:
        open_engine(BANK, db)
    assert str(db) in str(info.value)
    assert digest(db) == before
    assert not list(tmp_path.glob("*.bak-*"))
