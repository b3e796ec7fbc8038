"""Forgetting a card (Engine.reset_card): back to new, its history, flag and suspension kept."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "helpers"))
from engine_kit import Clock, answer, make_bank, open_engine

from trainer.engine import Rating

BANK = make_bank({"A": {"a1": 2}, "B": {"b1": 1}})


def test_reset_makes_the_card_new_and_keeps_its_history(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    clock = Clock()
    engine = open_engine(BANK, db, clock, new_per_day=5)
    qid = "a1-1"
    answer(engine, qid, Rating.EASY)
    answer(engine, "b1-1", Rating.GOOD)
    engine.set_flag(qid, True)
    engine.set_suspended(qid, True)
    assert engine.card_info(qid).state == "review"
    assert engine.can_undo()
    engine.reset_card(qid)
    info = engine.card_info(qid)
    assert (info.state, info.due, info.reps, info.lapses, info.stability) == (
        "new",
        None,
        0,
        0,
        None,
    )
    assert info.flagged and info.suspended
    assert len(engine.history(qid)) == 1
    assert not engine.can_undo()  # an undo would bring the forgotten schedule back
    engine.close()
    conn = sqlite3.connect(db)
    try:
        row = conn.execute(
            "SELECT state, due, reps, flagged, suspended FROM cards WHERE question_id = ?", (qid,)
        ).fetchone()
        logged = conn.execute(
            "SELECT COUNT(*) FROM review_log l JOIN cards c ON c.id = l.card_id "
            "WHERE c.question_id = ?",
            (qid,),
        ).fetchone()[0]
    finally:
        conn.close()
    assert row == ("new", None, 0, 1, 1)
    assert logged == 1
    again = open_engine(BANK, db, clock, new_per_day=5)
    assert again.card_info(qid).state == "new"
    again.close()


def test_rescheduling_from_the_log_starts_after_a_reset(tmp_path: Path) -> None:
    """Changing retention (or FSRS parameters) replays each card's log: a reset card stays new,
    and answers after the reset are all that count."""
    from dataclasses import replace

    from trainer.engine.replay import recompute

    clock = Clock()
    engine = open_engine(BANK, tmp_path / "t.db", clock, new_per_day=5)
    qid = "a1-1"
    for _ in range(3):
        answer(engine, qid, Rating.GOOD)
        clock.advance(minutes=15)
    before = engine.card_info(qid)
    assert before.reps == 3
    clock.advance(minutes=1)
    engine.reset_card(qid)
    clock.advance(minutes=1)
    retention = replace(engine.settings, desired_retention=0.85)
    recompute(engine, retention)
    info = engine.card_info(qid)
    assert (info.state, info.reps) == ("new", 0)  # the old answers do not come back
    answer(engine, qid, Rating.GOOD)
    recompute(engine, retention)
    info = engine.card_info(qid)
    assert (info.state, info.reps) == ("learning", 1)  # only the answer after the reset
    assert len(engine.history(qid)) == 4  # the whole log is kept
    engine.close()
