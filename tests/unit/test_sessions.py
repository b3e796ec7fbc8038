"""The sessions layer with no Textual: a real SQLite file, an injected clock and seed.

Every change is written before it is made, so a "crash" (the engine dropped without closing, a new
one opened on the file) at any step resumes exactly where the session was."""

from __future__ import annotations

import sqlite3
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent / "helpers"))
from engine_kit import MINI_RIGHT, MINI_WRONG, Clock, mini_bank, open_engine

from trainer.engine import Engine, Rating, TrainerDBError
from trainer.sessions import ExamSession, Kept, PracticeSession, StudySession, option_order
from trainer.sessions.exam import state_for_tests

BANK = mini_bank()


def log(db: Path) -> list[tuple[str, int, str]]:
    conn = sqlite3.connect(db)
    try:
        return [
            (r[0], r[1], r[2])
            for r in conn.execute(
                "SELECT c.question_id, l.rating, l.mode FROM review_log l "
                "JOIN cards c ON c.id = l.card_id ORDER BY l.id"
            )
        ]
    finally:
        conn.close()


def count(db: Path, table: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


def response_for(qid: str, right: bool) -> Any:
    return (MINI_RIGHT if right else MINI_WRONG)[qid]


def test_a_study_session_records_each_answer_when_graded_and_ends_with_a_summary(
    tmp_path: Path,
) -> None:
    db = tmp_path / "t.db"
    engine = open_engine(BANK, db)
    session = StudySession.start(engine, seed=1)
    view = session.view()
    seen = []
    while view.question is not None:
        qid = view.question.id
        view = session.submit(response_for(qid, True))
        assert view.marking is not None and view.marking.rated == Rating.GOOD
        assert log(db)[-1] == (qid, 3, "study")  # written at grading, before any rating
        seen.append(qid)
        view = session.rate(Rating.GOOD)
    assert view.summary is not None and (view.summary.done, view.summary.correct) == (6, 6)
    assert [q for q, _, _ in log(db)] == seen
    assert count(db, "sessions") == 0  # a finished session is not kept
    engine.close()


def test_a_chosen_rating_replaces_the_suggested_one_in_one_entry(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    engine = open_engine(BANK, db)
    session = StudySession.start(engine, seed=1)
    qid = session.view().question.id  # type: ignore[union-attr]
    session.submit(response_for(qid, True))
    session.rate(Rating.EASY)
    assert log(db) == [(qid, 4, "study")]
    assert engine.card_info(qid).reps == 1
    engine.close()


def test_leaving_the_feedback_keeps_the_suggested_rating_and_says_so(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    engine = open_engine(BANK, db)
    session = StudySession.start(engine, seed=1)
    qid = session.view().question.id  # type: ignore[union-attr]
    session.submit(response_for(qid, False) if qid != "mini-q-recall" else None)
    notice = session.leave()
    assert notice is not None and qid in notice and "suggested rating" in notice
    rating = 3 if qid == "mini-q-recall" else 1
    assert log(db) == [(qid, rating, "study")]
    resumed = StudySession.resume(engine)
    assert resumed is not None and resumed.view().question.id != qid  # type: ignore[union-attr]
    engine.close()


def _reopen(db: Path, old: Engine, clock: Clock) -> Engine:
    """A crash: the old engine is dropped as it is (its connection not closed cleanly is the
    same, for SQLite, as a killed process: everything committed is in the file)."""
    del old
    return open_engine(BANK, db, clock)


@pytest.mark.parametrize("crash_after", range(14))  # 7 answers: 14 steps
def test_a_study_session_resumes_exactly_after_a_crash_at_every_step(
    tmp_path: Path, crash_after: int
) -> None:
    """Steps alternate submit (the second answer wrong) and rate; after ``crash_after`` steps
    the engine is dropped and the session resumed: the same question, option order and
    feedback; finishing gives the same log as a run without a crash."""

    def run(db: Path, crash_at: int | None) -> list[tuple[str, int, str]]:
        clock = Clock()
        engine = open_engine(BANK, db, clock)
        session = StudySession.start(engine, seed=3)
        step = 0
        n = 0
        while True:
            if step == crash_at:
                before = session.view()
                engine = _reopen(db, engine, clock)
                resumed = StudySession.resume(engine)
                assert resumed is not None
                session = resumed
                after = session.view()
                assert after.question == before.question
                assert after.order == before.order
                assert after.marking == before.marking
                assert after.progress.done == before.progress.done
            view = session.view()
            if view.question is None:
                break
            assert step < 40, "the session should have ended"
            if view.marking is None:
                right = n != 1  # one wrong answer: that card comes back (learning) once more
                session.submit(response_for(view.question.id, right))
            else:
                session.rate(view.marking.suggested)
                n += 1
            step += 1
        engine.close()
        return log(db)

    assert run(tmp_path / "crash.db", crash_after) == run(tmp_path / "clean.db", None)


def test_undo_on_the_feedback_asks_the_same_question_again_in_the_same_order(
    tmp_path: Path,
) -> None:
    db = tmp_path / "t.db"
    engine = open_engine(BANK, db)
    session = StudySession.start(engine, seed=5)
    first = session.view()
    assert first.question is not None
    session.submit(response_for(first.question.id, True))
    view, undone = session.undo()
    assert undone.qid == first.question.id and log(db) == []
    assert view.question == first.question and view.order == first.order and view.marking is None
    # after rating, undo goes back to that question as it was shown
    session.submit(response_for(first.question.id, True))
    second = session.rate(Rating.GOOD)
    assert second.question != first.question
    view, undone = session.undo()
    assert undone.qid == first.question.id and view.order == first.order and log(db) == []
    assert view.progress.done == 0
    engine.close()


def test_a_failed_write_changes_nothing_and_the_same_call_can_be_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "t.db"
    engine = open_engine(BANK, db)
    session = StudySession.start(engine, seed=1)
    qid = session.view().question.id  # type: ignore[union-attr]

    def full(*args: object) -> None:
        raise TrainerDBError("The disk holding the database is full.", kind="full")

    with monkeypatch.context() as m:
        m.setattr(engine.store, "save_session", full)
        with pytest.raises(TrainerDBError):
            session.submit(response_for(qid, True))
    assert log(db) == [] and session.marking is None and engine.card_info(qid).reps == 0
    assert not engine.can_undo()
    view = session.submit(response_for(qid, True))
    assert view.marking is not None and log(db) == [(qid, 3, "study")]
    engine.close()


def test_options_are_shuffled_per_showing_seeded_and_kept_in_file_order_when_asked() -> None:
    single = BANK.question("mini-q-single")
    orders = {option_order(single, f"s:{n}") for n in range(20)}
    assert len(orders) > 1  # shuffled per showing
    assert all(sorted(o) == list(range(len(single.options))) for o in orders)
    assert option_order(single, "s:1") == option_order(single, "s:1")  # seeded
    fixed = replace(single, shuffle=False)
    assert {option_order(fixed, f"s:{n}") for n in range(20)} == {tuple(range(len(single.options)))}
    assert option_order(BANK.question("mini-q-true-false"), "x") == (0, 1)
    steps = option_order(BANK.question("mini-q-order"), "x")
    assert sorted(steps) == list(range(5)) and list(steps) != sorted(steps)


def test_a_practice_session_walks_its_list_and_resumes_after_a_crash(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    clock = Clock()
    engine = open_engine(BANK, db, clock)
    questions = engine.practice_questions(None, "all", seed=4)
    session = PracticeSession.start(engine, questions, seed=4, description="all topics")
    view = session.view()
    assert view.progress.total == 6
    for _ in range(3):
        assert view.question is not None
        session.submit(response_for(view.question.id, True))
        view = session.rate(Rating.GOOD)
    engine = _reopen(db, engine, clock)
    resumed = PracticeSession.resume(engine)
    assert resumed is not None
    again = resumed.view()
    assert again.question == view.question and again.order == view.order
    assert again.progress.done == 3 and again.progress.total == 6
    while again.question is not None:
        resumed.submit(response_for(again.question.id, False))
        again = resumed.rate(Rating.AGAIN)
    assert again.summary is not None and (again.summary.done, again.summary.correct) == (6, 3)
    assert {m for _, _, m in log(db)} == {"practice"} and len(log(db)) == 6
    engine.close()


def _exam(engine: Engine) -> ExamSession:
    return ExamSession.start(engine, engine.exam_questions(6, seed=9), seed=9)


def _answer_all(session: ExamSession) -> None:
    for i, q in enumerate(session.questions):
        if q.type == "recall":
            session.reveal()
            session.knew(True)
        moved = session.go(1, Kept(response_for(q.id, i % 2 == 0), complete=True))
        assert moved == (i < len(session.questions) - 1)


def test_an_exam_resumes_after_a_crash_with_answers_marks_order_and_clock(
    tmp_path: Path,
) -> None:
    db = tmp_path / "t.db"
    clock = Clock()
    engine = open_engine(BANK, db, clock)
    session = _exam(engine)
    first = session.current
    session.go(1, Kept(response_for(first.id, True), complete=True))
    session.toggle_mark()
    clock.advance(seconds=90)
    session.pause()
    saved = state_for_tests(session)
    clock.advance(hours=5)  # time away does not count
    engine = _reopen(db, engine, clock)
    resumed = ExamSession.resume(engine)
    assert resumed is not None
    assert state_for_tests(resumed) == saved
    assert resumed.index == 1 and resumed.marked == {resumed.current.id}
    assert resumed.answer_for(first.id).answered
    assert resumed.elapsed_seconds() == 90
    assert all(resumed.order_of(q.id) == session.order_of(q.id) for q in session.questions)
    assert log(db) == []  # nothing logged before the exam is submitted
    engine.close()


def test_an_exam_submit_writes_every_answer_and_the_result_at_once(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    engine = open_engine(BANK, db)
    session = _exam(engine)
    _answer_all(session)
    outcome = session.submit()
    assert len(log(db)) == 6 and {m for _, _, m in log(db)} == {"exam"}
    assert count(db, "exam_results") == 1 and count(db, "sessions") == 0
    assert outcome.result.id is not None
    assert len(outcome.result.correct_ids) == sum(g.correct for g in outcome.grades.values())
    engine.close()


def test_an_exam_submit_that_fails_halfway_changes_nothing_and_can_be_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "t.db"
    engine = open_engine(BANK, db)
    session = _exam(engine)
    _answer_all(session)
    saved = state_for_tests(session)

    def full(*args: object) -> int:
        raise TrainerDBError("The disk holding the database is full.", kind="full")

    with monkeypatch.context() as m:
        m.setattr(engine.store, "record_exam", full)  # after every answer was logged
        with pytest.raises(TrainerDBError):
            session.submit()
    assert log(db) == [] and count(db, "exam_results") == 0
    assert state_for_tests(session) == saved and count(db, "sessions") == 1
    session.submit()
    assert len(log(db)) == 6 and count(db, "exam_results") == 1 and count(db, "sessions") == 0
    engine.close()


def test_a_failed_exam_write_keeps_the_answer_in_memory_for_a_retry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "t.db"
    engine = open_engine(BANK, db)
    session = _exam(engine)
    q = session.current
    kept = Kept(response_for(q.id, True), complete=True)

    def locked(*args: object) -> None:
        raise TrainerDBError("The database is locked by another program.", kind="locked")

    with monkeypatch.context() as m:
        m.setattr(engine.store, "save_session", locked)
        with pytest.raises(TrainerDBError):
            session.go(1, kept)
    assert session.index == 0 and not session.answer_for(q.id).answered
    assert session.go(1, kept) and session.answer_for(q.id).answered
    engine.close()


def _durations(db: Path) -> list[int]:
    conn = sqlite3.connect(db)
    try:
        return [int(r[0]) for r in conn.execute("SELECT duration_ms FROM review_log ORDER BY id")]
    finally:
        conn.close()


def test_the_answer_time_counts_from_when_the_question_is_shown_again(tmp_path: Path) -> None:
    """Review finding: resumed from the database the first answer was logged as 0 ms; resumed
    from home it counted the time spent at home. ``show`` (what the screen calls when it puts
    the session on screen) starts the question's time again; ``view`` alone does not."""
    db = tmp_path / "t.db"
    clock = Clock()
    engine = open_engine(BANK, db, clock)
    session = StudySession.start(engine, seed=1)
    qid = session.show().question.id  # type: ignore[union-attr]
    clock.advance(seconds=7)
    session.view()  # a redraw is not a showing
    clock.advance(seconds=3)
    session.submit(response_for(qid, True))
    session.rate(Rating.GOOD)
    assert _durations(db) == [10_000]

    # paused at home for an hour, then shown again: 4 s on screen
    qid = session.view().question.id  # type: ignore[union-attr]
    clock.advance(hours=1)
    session.show()
    clock.advance(seconds=4)
    session.submit(response_for(qid, True))
    session.rate(Rating.GOOD)
    assert _durations(db)[-1] == 4_000

    # the app closed on a question, reopened a day later: 6 s on screen, not 0
    qid = session.view().question.id  # type: ignore[union-attr]
    engine.close()
    clock.advance(days=1)
    engine = open_engine(BANK, db, clock)
    resumed = StudySession.resume(engine)
    assert resumed is not None
    assert resumed.show().question.id == qid  # type: ignore[union-attr]
    clock.advance(seconds=6)
    resumed.submit(response_for(qid, True))
    assert _durations(db)[-1] == 6_000
    engine.close()
