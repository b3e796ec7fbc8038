"""The QBank block on screen: a countdown that submits when time is up (a confirmation left
open is closed), tutor mode's feedback after each question, the setup's choices."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from textual.widgets import Checkbox, Input, SelectionList

from trainer.bank.models import Bank
from trainer.tui.app import TrainerApp
from trainer.tui.screens.confirm import ConfirmScreen
from trainer.tui.screens.exam import ExamScreen
from trainer.tui.screens.exam_result import ExamResultScreen

from .conftest import Clock, logged
from .helpers import answer, screen_text, settle, text_of

QIDS = ["mini-q-single", "mini-q-true-false", "mini-q-multiple"]


async def test_time_up_submits_the_block_even_with_a_confirmation_open(
    app: TrainerApp, mini_bank: Bank, clock: Clock, db_path: Path
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        app.start_exam([mini_bank.question(q) for q in QIDS], 1, seconds=20)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExamScreen)
        assert "Time left 01:00" in text_of(pilot, "#exam-status")
        await answer(pilot, screen.session.current.id, True)
        await settle(pilot)
        clock.advance(timedelta(seconds=45))
        screen._update_status()
        assert "Time left 00:15" in text_of(pilot, "#exam-status")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        clock.advance(timedelta(seconds=20))
        screen._update_status()  # the 1 s tick
        await settle(pilot)
        assert isinstance(app.screen, ExamResultScreen)
        assert "Exam result: 1 of 3 right" in text_of(pilot, "#exam-score")
        assert len(app.engine.exam_results()) == 1
    assert len(logged(db_path)) == 1


async def test_tutor_mode_shows_the_feedback_after_each_answer_then_goes_on(
    app: TrainerApp, mini_bank: Bank, db_path: Path
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        app.start_exam([mini_bank.question(q) for q in QIDS], 1, tutor=True)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExamScreen) and "Tutor" in text_of(pilot, "#exam-status")
        first = screen.session.current
        await answer(pilot, first.id, False)
        await settle(pilot)
        assert screen.session.index == 0  # still here, with the feedback
        text = screen_text(pilot)
        assert first.explanation in text and all(o.why in text for o in first.options)
        assert screen.session.checked(first.id)
        await pilot.press("enter")
        await settle(pilot)
        assert screen.session.index == 1 and "Why each option" not in screen_text(pilot)
        assert logged(db_path) == []  # still written at submit, all at once


async def test_the_setup_starts_an_untimed_tutor_block_of_the_chosen_size(
    app: TrainerApp,
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e")
        await settle(pilot)
        topics = app.screen.query_one("#exam-topics", SelectionList)
        prompts = [str(topics.get_option_at_index(i).prompt) for i in range(topics.option_count)]
        assert prompts == ["Procedure (4)", "Risks (2)"]
        app.screen.query_one("#exam-size", Input).value = "2"
        app.screen.query_one("#exam-seconds", Input).value = "0"
        app.screen.query_one("#exam-tutor", Checkbox).value = True
        app.screen.query_one("#exam-size", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExamScreen)
        session = screen.session
        assert len(session.questions) == 2 and session.tutor and session.time_limit is None
        assert "Time 00:00" in text_of(pilot, "#exam-status")


async def test_past_exams_are_listed_with_local_dates_and_scores_and_open_for_review(
    app: TrainerApp, mini_bank: Bank, clock: Clock
) -> None:
    from textual.widgets import DataTable

    from trainer.tui.screens.exam_history import ExamHistoryScreen

    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ExamHistoryScreen)
        assert "No exams yet" in screen_text(pilot)
        await pilot.press("escape")
        for right in (True, False):
            app.start_exam([mini_bank.question(q) for q in QIDS], 1, seconds=0)
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, ExamScreen)
            clock.advance(timedelta(seconds=30))
            await answer(pilot, screen.session.current.id, right)
            await settle(pilot)
            await pilot.press("ctrl+s", "y")
            await settle(pilot)
            assert isinstance(app.screen, ExamResultScreen)
            await pilot.press("escape")
            await settle(pilot)
            clock.advance(timedelta(days=1))
        await pilot.press("x")
        await settle(pilot)
        table = app.screen.query_one("#exam-history", DataTable)
        rows = [table.get_row_at(i) for i in range(table.row_count)]
        # newest first; the conftest's time zone is UTC
        assert rows == [
            ["2026-11-27 10:00", "0%", "0", "3", "00:30"],
            ["2026-11-26 10:00", "33%", "1", "3", "00:30"],
        ]
        await pilot.press("down", "enter")
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ExamResultScreen) and review.past
        assert "Exam of 2026-11-26 10:00: 1 of 3 right" in text_of(pilot, "#exam-score")
        first = review.outcome.questions[0]
        assert review.outcome.answers[first.id].answered
        assert review.outcome.seconds[first.id] == 30.0
        text = screen_text(pilot)
        assert all(q.explanation in text for q in review.outcome.questions)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ExamHistoryScreen)


async def test_practice_setup_counts_follow_the_ticked_topics_and_new_cards_get_scheduled(
    app: TrainerApp, db_path: Path
) -> None:
    from textual.widgets import RadioButton

    from trainer.tui.screens.question import QuestionScreen

    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        await settle(pilot)
        screen = app.screen

        def label(key: str) -> str:
            return str(screen.query_one(f"#filter-{key}", RadioButton).label)

        assert label("all") == "All questions (6)"
        assert label("new") == "More new cards (scheduled) (6)"
        assert label("marked") == "Marked in exams (0)"
        await pilot.press("space")  # untick the first topic (Procedure, 4)
        await pilot.pause()
        assert label("all") == "All questions (2)"
        screen.query_one("#filter-new", RadioButton).value = True
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, QuestionScreen)
        qid = app.screen.session.question.id  # type: ignore[union-attr]
        await answer(pilot, qid, True)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
    [row] = logged(db_path, qid)
    assert row["mode"] == "study"  # scheduled as study


async def test_a_time_up_submit_that_fails_is_not_retried_every_second(
    app: TrainerApp, mini_bank: Bank, clock: Clock, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from trainer.engine import TrainerDBError

    store = app.db.engine.store
    real = store.record_exam
    calls: list[int] = []

    def full_once(*args: object, **kwargs: object) -> int:
        calls.append(1)
        if len(calls) == 1:  # the disk is full the first time only
            raise TrainerDBError("The disk holding the database is full.", kind="full")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "record_exam", full_once)
    async with app.run_test(size=(80, 24)) as pilot:
        app.start_exam([mini_bank.question(q) for q in QIDS], 1, seconds=20)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExamScreen)
        await answer(pilot, screen.session.current.id, True)
        await settle(pilot)
        clock.advance(timedelta(seconds=70))
        for _ in range(3):  # three 1 s ticks after time is up
            screen._update_status()
            await settle(pilot)
        assert len(calls) == 1 and app.screen is screen  # tried once, then left to the trainee
        assert sum(n.startswith("Not saved: The disk") for n in app.recent_notices) == 1
        assert sum(n.startswith("Time is up") for n in app.recent_notices) == 1
        assert logged(db_path) == []
        await pilot.press("ctrl+s")  # the retry the notice asks for
        await settle(pilot)
        if isinstance(app.screen, ConfirmScreen):
            await pilot.press("y")
            await settle(pilot)
        assert isinstance(app.screen, ExamResultScreen) and len(calls) == 2
    assert len(logged(db_path)) == 1
