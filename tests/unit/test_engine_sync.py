"""Bank to database: new questions become cards, removed ones retire, returning ones revive."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "helpers"))
from engine_kit import (
    Clock,
    answer,
    make_bank,
    mini_bank,
    open_engine,
    tf_question,
)

from trainer.engine import Rating, SyncReport


def test_mini_bank_gives_one_card_per_question(tmp_path: Path) -> None:
    bank = mini_bank()
    engine = open_engine(bank, tmp_path / "t.db")
    assert engine.sync_report == SyncReport(added=6, retired=0, revived=0)
    infos = engine.all_card_info()
    assert set(infos) == {q.id for q in bank.questions}
    assert all(i.state == "new" and i.due is None and i.reps == 0 for i in infos.values())
    engine.close()


def test_edit_remove_and_return_keep_history(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    clock = Clock()
    v1 = make_bank({"t": {"o": 3}})
    engine = open_engine(v1, db, clock)
    answer(engine, "o-1", Rating.GOOD)
    answer(engine, "o-2", Rating.AGAIN)
    o2_before = engine.card_info("o-2")
    engine.close()

    # v2: o-1 edited (same id, new stem), o-2 removed, o-3 retired in the bank, p-1 new
    v2 = make_bank({"t": {"o": 1, "p": 1}}, extra=[tf_question("o-3", "o", retired=True)])
    engine = open_engine(v2, db, clock)
    assert engine.sync_report == SyncReport(added=1, retired=2, revived=0)
    assert len(engine.history("o-1")) == 1  # edited: history kept
    assert set(engine.all_card_info()) == {"o-1", "p-1"}
    with pytest.raises(KeyError):
        engine.card_info("o-2")  # retired: never shown
    seen = set()
    while (q := engine.next_question()) is not None and q.id not in seen:
        seen.add(q.id)
        answer(engine, q.id)
    assert "o-2" not in seen and "o-3" not in seen
    assert sum(engine.stats().cards.values()) == 2
    engine.close()

    # v3: o-2 comes back with its history and schedule
    engine = open_engine(make_bank({"t": {"o": 2, "p": 1}}), db, clock)
    assert engine.sync_report == SyncReport(added=0, retired=0, revived=1)
    assert engine.card_info("o-2") == o2_before
    assert [h.rating for h in engine.history("o-2")] == [1]
    engine.close()


def test_two_banks_share_one_database(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    a = open_engine(make_bank({"t": {"o": 2}}, bank_id="a"), db)
    b = open_engine(make_bank({"t": {"o": 3}}, bank_id="b"), db)
    assert a.sync_report.added == 2 and b.sync_report.added == 3
    answer(a, "o-1")
    assert b.card_info("o-1").reps == 0
    assert a.card_info("o-1").reps == 1
    a.close()
    b.close()
