"""'I was right': a wrong objective answer re-graded as right for scheduling, logged as an
override (a flag in the log entry's response JSON), kept across a crash; never for a right or a
self-rated answer."""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "helpers"))
from engine_kit import MINI_RIGHT, MINI_WRONG, mini_bank, open_engine

from trainer.engine import Rating
from trainer.engine.grading import is_override, response_from_json, response_to_json
from trainer.sessions import PracticeSession, StudySession

BANK = mini_bank()


def entries(db: Path) -> list[tuple[str, int, int, str]]:
    conn = sqlite3.connect(db)
    try:
        return [
            (r[0], r[1], r[2], r[3])
            for r in conn.execute(
                "SELECT c.question_id, l.rating, l.correct, l.response FROM review_log l "
                "JOIN cards c ON c.id = l.card_id ORDER BY l.id"
            )
        ]
    finally:
        conn.close()


def test_the_override_flag_round_trips_through_the_response_json() -> None:
    text = response_to_json(2, override=True)
    assert json.loads(text) == {"index": 2, "override": True}
    assert is_override(text) and response_from_json(text) == 2
    assert not is_override(response_to_json(2))
    assert not is_override("not json")


def test_i_was_right_reschedules_a_wrong_answer_as_right_and_logs_an_override(
    tmp_path: Path,
) -> None:
    db = tmp_path / "t.db"
    engine = open_engine(BANK, db)
    q = BANK.question("mini-q-cloze")
    session = PracticeSession.start(engine, [q], seed=1)
    session.view()
    view = session.submit(MINI_WRONG[q.id])
    assert view.marking is not None and view.marking.allowed == (Rating.AGAIN,)
    assert view.marking.overridable
    view = session.override()
    m = view.marking
    assert m is not None and m.overridden and not m.overridable
    assert (m.suggested, m.rated) == (Rating.GOOD, Rating.GOOD)
    assert m.allowed == (Rating.HARD, Rating.GOOD, Rating.EASY)
    [(qid, rating, correct, response)] = entries(db)
    assert (qid, rating, correct) == (q.id, 3, 1) and is_override(response)
    # a crash here: the override is kept with the session
    engine.close()
    engine = open_engine(BANK, db)
    resumed = PracticeSession.resume(engine)
    assert resumed is not None
    m2 = resumed.view().marking
    assert m2 is not None and m2.overridden and m2.allowed == m.allowed
    view = resumed.rate(Rating.EASY)  # another rating: still one entry, still an override
    [(_, rating, correct, response)] = entries(db)
    assert (rating, correct) == (4, 1) and is_override(response)
    assert view.summary is not None and view.summary.correct == 1
    engine.close()


@pytest.mark.parametrize("qid", ["mini-q-single", "mini-q-recall"])
def test_only_a_wrong_objective_answer_can_be_overridden(tmp_path: Path, qid: str) -> None:
    engine = open_engine(BANK, tmp_path / "t.db")
    session = PracticeSession.start(engine, [BANK.question(qid)], seed=1)
    session.view()
    view = session.submit(MINI_RIGHT[qid])
    assert view.marking is not None and not view.marking.overridable
    with pytest.raises(ValueError):
        session.override()
    assert not any(is_override(r) for *_, r in entries(tmp_path / "t.db"))
    engine.close()


def test_an_override_after_the_card_was_answered_elsewhere_changes_nothing(
    tmp_path: Path,
) -> None:
    db = tmp_path / "t.db"
    engine = open_engine(BANK, db)
    session = StudySession.start(engine, seed=1)
    view = session.view()
    assert view.question is not None
    qid = view.question.id
    session.submit(MINI_WRONG[qid])
    other = open_engine(BANK, db)
    other.answer(qid, Rating.GOOD, response=MINI_RIGHT[qid], duration_ms=1, mode="study")
    before = entries(db)
    with pytest.raises(ValueError, match="another trainer window"):
        session.override()
    assert entries(db) == before
    marking = session.marking
    assert marking is not None and not marking.overridden
    other.close()
    engine.close()
