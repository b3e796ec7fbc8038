"""A QBank block as an ExamSession: timed (seconds per question, a countdown, time spent per
question) or untimed, tutor mode (the answer is final once its feedback is shown) or block mode,
marked questions flagged for later practice when the block is submitted."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "helpers"))
from engine_kit import MINI_RIGHT, MINI_WRONG, Clock, mini_bank, open_engine

from trainer.sessions import ExamSession, Kept
from trainer.sessions.exam import state_for_tests

BANK = mini_bank()
QIDS = ["mini-q-single", "mini-q-true-false", "mini-q-cloze"]


def _block(engine: object, **kw: object) -> ExamSession:
    questions = [BANK.question(q) for q in QIDS]
    return ExamSession.start(engine, questions, seed=3, **kw)  # type: ignore[arg-type]


def test_a_timed_block_counts_down_from_its_seconds_per_question_and_keeps_it_on_resume(
    tmp_path: Path,
) -> None:
    clock = Clock()
    engine = open_engine(BANK, tmp_path / "t.db", clock)
    session = _block(engine, seconds_per_question=90)
    assert session.time_limit == 270 and session.remaining_seconds() == 270
    clock.advance(seconds=100)
    assert session.remaining_seconds() == 170 and not session.time_up()
    session.pause()
    engine.close()
    clock.advance(hours=3)  # time away does not count
    engine = open_engine(BANK, tmp_path / "t.db", clock)
    resumed = ExamSession.resume(engine)
    assert resumed is not None and resumed.remaining_seconds() == 170
    clock.advance(seconds=500)
    assert resumed.remaining_seconds() == 0 and resumed.time_up()
    engine.close()


def test_an_untimed_block_has_no_countdown(tmp_path: Path) -> None:
    clock = Clock()
    engine = open_engine(BANK, tmp_path / "t.db", clock)
    for session in (_block(engine), _block(engine, seconds_per_question=0)):
        clock.advance(hours=2)
        assert session.remaining_seconds() is None and not session.time_up()
    with pytest.raises(ValueError):
        _block(engine, seconds_per_question=-1)
    engine.close()


def test_time_spent_is_counted_per_question_including_returns(tmp_path: Path) -> None:
    clock = Clock()
    engine = open_engine(BANK, tmp_path / "t.db", clock)
    session = _block(engine)
    clock.advance(seconds=10)
    session.go(1)
    clock.advance(seconds=25)
    session.go(-1)
    clock.advance(seconds=5)
    outcome = session.submit()
    assert outcome.seconds == {QIDS[0]: 15.0, QIDS[1]: 25.0, QIDS[2]: 0.0}
    engine.close()


def test_tutor_mode_grades_each_answer_and_then_it_is_final(tmp_path: Path) -> None:
    engine = open_engine(BANK, tmp_path / "t.db")
    session = _block(engine, tutor=True)
    first = session.current.id
    g = session.check(Kept(MINI_WRONG[first], complete=True, submitted=True))
    assert not g.correct and session.checked(first)
    session.go(1, Kept(MINI_RIGHT[first], complete=True))  # a changed answer is not kept
    assert session.answer_for(first).response == MINI_WRONG[first]
    saved = state_for_tests(session)
    assert saved["tutor"] is True and saved["checked"] == [first]
    with pytest.raises(ValueError):
        _block(engine).check()
    engine.close()


def test_marked_questions_are_flagged_for_later_practice_at_submit(tmp_path: Path) -> None:
    engine = open_engine(BANK, tmp_path / "t.db")
    session = _block(engine)
    session.go(1)
    session.toggle_mark()
    assert not engine.is_flagged(QIDS[1])
    outcome = session.submit()
    assert outcome.marked == {QIDS[1]}
    assert engine.is_flagged(QIDS[1]) and not engine.is_flagged(QIDS[0])
    engine.close()


def test_an_exam_saved_before_blocks_existed_resumes_untimed_in_block_mode(
    tmp_path: Path,
) -> None:
    engine = open_engine(BANK, tmp_path / "t.db")
    session = _block(engine)
    state = state_for_tests(session)
    for key in ("time_limit", "tutor", "checked", "spent"):
        state.pop(key)
    engine.save_session("exam", json.dumps(state))
    resumed = ExamSession.resume(engine)
    assert resumed is not None and not resumed.tutor and resumed.time_limit is None
    engine.close()


def test_marked_questions_make_the_marked_in_exams_filter(tmp_path: Path) -> None:
    engine = open_engine(BANK, tmp_path / "t.db")
    assert engine.practice_questions(None, "marked") == []
    session = _block(engine)
    session.toggle_mark()
    session.submit()
    assert [q.id for q in engine.practice_questions(None, "marked")] == [QIDS[0]]
    engine.mark_from_exam([QIDS[0]], marked=False)
    assert engine.practice_questions(None, "marked") == []
    engine.close()


def test_new_cards_beyond_the_limit_are_scheduled_when_practised(tmp_path: Path) -> None:
    from trainer.sessions import PracticeSession

    engine = open_engine(BANK, tmp_path / "t.db")
    new = engine.practice_questions(None, "new", seed=1)
    assert len(new) == len(BANK.active_questions)  # nothing studied yet
    plain = PracticeSession.start(engine, new[:1], seed=1)
    view = plain.view()
    assert view.question is not None
    plain.submit(MINI_RIGHT[view.question.id])
    plain.rate(plain.marking.rated)  # type: ignore[union-attr]
    assert len(engine.practice_questions(None, "new")) == len(new)  # practice: not scheduled
    more = PracticeSession.start(engine, new[1:2], seed=1, schedules=True)
    assert more.answer_mode == "study"
    view = more.view()
    assert view.question is not None
    view = more.submit(MINI_RIGHT[view.question.id])
    assert view.marking is not None and view.marking.intervals is not None  # scheduled
    resumed = PracticeSession.resume(engine)  # kept with the saved session
    assert resumed is not None and resumed.answer_mode == "study"
    more.rate(view.marking.rated)
    assert new[1] not in engine.practice_questions(None, "new")
    assert len(engine.practice_questions(None, "new")) == len(new) - 1
    engine.close()
