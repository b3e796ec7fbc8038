"""Answering: rating rules, one durable transaction, modes, undo, leeches, flags, history."""

from __future__ import annotations

import sqlite3
import sys
from datetime import timedelta
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "helpers"))
from engine_kit import (
    MINI_RIGHT,
    MINI_WRONG,
    Clock,
    answer,
    make_bank,
    mini_bank,
    open_engine,
)

from trainer.engine import (
    Counts,
    GradingError,
    Rating,
    grade,
    response_from_json,
)

MINI = mini_bank()


def log_rows(db: Path) -> list[tuple[int, int, str]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT id, rating, mode FROM review_log ORDER BY id").fetchall()
    finally:
        conn.close()


def test_every_type_answers_and_is_visible_to_another_connection_at_once(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    engine = open_engine(MINI, db)
    for n, q in enumerate(MINI.questions, start=1):
        response = MINI_RIGHT[q.id]
        engine.answer(q.id, Rating.GOOD, response=response, duration_ms=1500)  # type: ignore[arg-type]
        assert len(log_rows(db)) == n  # committed before answer() returned
        entry = engine.history(q.id)[-1]
        assert (entry.rating, entry.correct, entry.mode, entry.duration_ms) == (
            3,
            True,
            "study",
            1500,
        )
        assert response_from_json(entry.response) == response
        assert engine.card_info(q.id).state == "learning"
    engine.close()


def test_wrong_answers_must_be_rated_again_and_right_ones_pass(tmp_path: Path) -> None:
    engine = open_engine(MINI, tmp_path / "t.db")
    q = MINI.question("mini-q-multiple")
    assert not grade(q, MINI_WRONG[q.id]).correct  # type: ignore[arg-type]
    for rating in (Rating.HARD, Rating.GOOD, Rating.EASY):
        with pytest.raises(ValueError, match="wrong answer is rated AGAIN"):
            engine.answer(q.id, rating, response=MINI_WRONG[q.id], duration_ms=1)  # type: ignore[arg-type]
    assert grade(q, MINI_RIGHT[q.id]).correct  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="right answer is rated HARD, GOOD, EASY"):
        engine.answer(q.id, Rating.AGAIN, response=MINI_RIGHT[q.id], duration_ms=1)  # type: ignore[arg-type]
    assert engine.history(q.id) == [] and engine.card_info(q.id).reps == 0  # nothing written
    engine.answer(q.id, Rating.HARD, response=MINI_RIGHT[q.id], duration_ms=1)  # type: ignore[arg-type]
    assert engine.history(q.id)[-1].rating == 2
    engine.close()


def test_the_grade_is_computed_from_the_response_when_not_given(tmp_path: Path) -> None:
    engine = open_engine(MINI, tmp_path / "t.db")
    with pytest.raises(ValueError, match="wrong answer"):
        engine.answer("mini-q-cloze", Rating.GOOD, response=("no", "no"), duration_ms=1)
    engine.answer("mini-q-cloze", Rating.AGAIN, response=("no", "no"), duration_ms=1)
    assert engine.history("mini-q-cloze")[-1].correct is False
    with pytest.raises(ValueError, match="needs a response"):
        engine.answer("mini-q-single", Rating.AGAIN, response=None, duration_ms=1)
    with pytest.raises(GradingError):
        engine.answer("mini-q-single", Rating.AGAIN, response=17, duration_ms=1)
    engine.close()


def test_recall_is_self_rated(tmp_path: Path) -> None:
    engine = open_engine(MINI, tmp_path / "t.db")
    engine.answer("mini-q-recall", Rating.AGAIN, response=None, duration_ms=9)
    engine.answer("mini-q-recall", Rating.EASY, response=None, duration_ms=9)
    assert [(h.rating, h.correct) for h in engine.history("mini-q-recall")] == [
        (1, False),
        (4, True),
    ]
    engine.close()


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"qid": "nope"}, KeyError, "nope"),
        ({"mode": "cram"}, ValueError, "unknown mode"),
        ({"rating": 5}, ValueError, "rating is 1"),
        ({"duration_ms": -1}, ValueError, "duration_ms"),
        ({"duration_ms": 1.5}, ValueError, "duration_ms"),
    ],
)
def test_bad_input_is_refused_before_writing(
    tmp_path: Path, kwargs: dict[str, object], error: type[Exception], match: str
) -> None:
    db = tmp_path / "t.db"
    engine = open_engine(MINI, db)
    args: dict[str, object] = {
        "qid": "mini-q-recall",
        "rating": Rating.GOOD,
        "mode": "study",
        "duration_ms": 5,
    }
    args.update(kwargs)
    qid = args.pop("qid")
    rating = args.pop("rating")
    with pytest.raises(error, match=match):
        engine.answer(qid, rating, response=None, **args)  # type: ignore[arg-type]
    assert log_rows(db) == []
    engine.close()


def test_practice_changes_the_schedule_only_of_due_cards(tmp_path: Path) -> None:
    clock = Clock()
    engine = open_engine(make_bank({"A": {"a": 1, "b": 1, "c": 1}}), tmp_path / "t.db", clock)
    answer(engine, "a-1", Rating.EASY)  # review, due in days
    before = engine.card_info("a-1")
    assert engine.schedules("a-1", "study") and not engine.schedules("a-1", "exam")
    assert not engine.schedules("a-1", "practice") and not engine.schedules("b-1", "practice")
    answer(engine, "a-1", Rating.AGAIN, mode="practice")  # not due: logged only
    assert engine.card_info("a-1") == before
    answer(engine, "b-1", Rating.GOOD, mode="practice")  # new cards are never due
    assert engine.card_info("b-1").state == "new"
    clock.set(before.due + timedelta(hours=1))  # type: ignore[operator]
    assert engine.schedules("a-1", "practice")
    answer(engine, "a-1", Rating.AGAIN, mode="practice")  # due now: scheduled
    after = engine.card_info("a-1")
    assert after.state == "relearning" and after.lapses == 1
    assert [h.mode for h in engine.history("a-1")] == ["study", "practice", "practice"]
    assert engine.counts().new == 2  # practice of a new card does not use the new limit
    engine.close()


def test_exam_answers_are_logged_and_change_nothing(tmp_path: Path) -> None:
    clock = Clock()
    engine = open_engine(make_bank({"A": {"a": 1}}), tmp_path / "t.db", clock)
    answer(engine, "a-1", Rating.EASY)
    before = engine.card_info("a-1")
    clock.set(before.due + timedelta(days=3))  # type: ignore[operator]
    answer(engine, "a-1", Rating.AGAIN, mode="exam")  # even when due
    assert engine.card_info("a-1").due == before.due
    assert engine.card_info("a-1").lapses == 0
    assert engine.history("a-1")[-1].mode == "exam"
    engine.close()


def test_undo_restores_cards_exactly_several_levels(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    clock = Clock()
    engine = open_engine(MINI, db, clock, enable_fuzzing=True)
    assert not engine.can_undo() and engine.undo() is None
    snapshots = []
    done = []
    for rating in (Rating.GOOD, Rating.AGAIN, Rating.EASY, Rating.GOOD):
        q = engine.next_question()
        assert q is not None
        snapshots.append((q.id, engine.card_info(q.id), engine.counts(), len(engine.history(q.id))))
        answer(engine, q.id, rating)
        done.append(q.id)
        clock.advance(minutes=3)
    assert len(log_rows(db)) == 4
    for qid, info, _counts, n_history in reversed(snapshots):
        assert engine.can_undo()
        assert engine.undo() == qid
        assert engine.card_info(qid) == info
        assert len(engine.history(qid)) == n_history
    assert not engine.can_undo() and engine.undo() is None
    assert log_rows(db) == []
    # the new-card limit and the buried siblings are given back too
    assert engine.counts() == snapshots[0][2] == Counts(new=6, learning=0, review=0)
    engine.close()


def test_undo_is_per_engine(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    bank = make_bank({"A": {"a": 1, "b": 1}})
    one = open_engine(bank, db)
    two = open_engine(bank, db)
    answer(one, "a-1")
    answer(two, "b-1")
    assert one.undo() == "a-1" and not one.can_undo()
    assert two.card_info("b-1").reps == 1
    assert two.undo() == "b-1"
    one.close()
    two.close()


def test_undo_never_overwrites_a_later_answer_from_another_engine(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    bank = make_bank({"A": {"a": 1}})
    one = open_engine(bank, db)
    two = open_engine(bank, db)
    answer(one, "a-1", Rating.GOOD)
    answer(two, "a-1", Rating.AGAIN)
    after_two = two.card_info("a-1")
    assert one.undo() is None and not one.can_undo()
    assert one.card_info("a-1") == after_two
    assert len(one.history("a-1")) == 2
    assert two.undo() == "a-1" and two.card_info("a-1").reps == 1
    one.close()
    two.close()


def _lapse_until(engine: object, qid: str, lapses: int) -> None:
    answer(engine, qid, Rating.EASY)  # type: ignore[arg-type]
    for _ in range(lapses):
        answer(engine, qid, Rating.AGAIN)  # type: ignore[arg-type]  # review -> relearning: a lapse
        answer(engine, qid, Rating.GOOD)  # type: ignore[arg-type]  # relearning -> review


def test_leech_at_8_lapses_is_tagged_and_suspended(tmp_path: Path) -> None:
    engine = open_engine(make_bank({"A": {"a": 1}}), tmp_path / "t.db", leech_action="suspend")
    _lapse_until(engine, "a-1", 7)
    info = engine.card_info("a-1")
    assert info.lapses == 7 and not info.leech and not info.suspended
    answer(engine, "a-1", Rating.AGAIN)
    info = engine.card_info("a-1")
    assert info.lapses == 8 and info.leech and info.suspended
    assert engine.next_question() is None
    assert engine.undo() == "a-1"  # undo lifts the leech too
    info = engine.card_info("a-1")
    assert info.lapses == 7 and not info.leech and not info.suspended
    engine.close()


def test_leech_action_tag_only(tmp_path: Path) -> None:
    engine = open_engine(
        make_bank({"A": {"a": 1}}), tmp_path / "t.db", leech_threshold=2, leech_action="tag"
    )
    _lapse_until(engine, "a-1", 2)
    info = engine.card_info("a-1")
    assert info.lapses == 2 and info.leech and not info.suspended
    engine.close()


def test_flags_persist(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    engine = open_engine(MINI, db)
    assert not engine.is_flagged("mini-q-order")
    engine.set_flag("mini-q-order", True)
    assert engine.is_flagged("mini-q-order") and engine.card_info("mini-q-order").flagged
    engine.close()
    engine = open_engine(MINI, db)
    assert engine.is_flagged("mini-q-order")
    engine.set_flag("mini-q-order", False)
    assert not engine.all_card_info()["mini-q-order"].flagged
    with pytest.raises(KeyError):
        engine.set_flag("missing", True)
    engine.close()


def test_settings_and_key_values_persist(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    engine = open_engine(MINI, db)
    assert engine.get_setting("theme") is None
    assert engine.get_setting("theme", "dark") == "dark"
    engine.set_setting("theme", "light")
    engine.set_setting("theme", "nord")
    engine.save_settings(engine.settings.__class__(new_per_day=2))
    engine.close()
    from trainer.engine import Engine

    again = Engine.open(MINI, db, clock=Clock())
    assert again.get_setting("theme") == "nord"
    assert again.settings.new_per_day == 2
    assert again.counts().new == 2
    again.close()
