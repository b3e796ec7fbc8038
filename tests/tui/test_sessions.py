"""Study, practice and exam end to end; undo, flag, pause and resume."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input

from trainer.tui.app import TrainerApp
from trainer.tui.screens.confirm import ConfirmScreen
from trainer.tui.screens.done import DoneScreen
from trainer.tui.screens.exam import ExamScreen
from trainer.tui.screens.exam_result import ExamResultScreen
from trainer.tui.screens.home import HomeScreen
from trainer.tui.screens.practice_setup import PracticeSetupScreen
from trainer.tui.screens.question import QuestionScreen

from .conftest import logged
from .helpers import (
    CLOZE_RIGHT,
    answer,
    put_steps_in_order,
    screen_text,
    settle,
    text_of,
    type_blanks,
)


def flagged_in_db(db_path: Path, qid: str) -> bool:
    conn = sqlite3.connect(db_path)
    try:
        row = conn.execute("SELECT flagged FROM cards WHERE question_id = ?", (qid,)).fetchone()
        return bool(row[0])
    finally:
        conn.close()


async def test_study_runs_until_all_done(app: TrainerApp, db_path: Path) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await settle(pilot)
        answered: list[str] = []
        for _ in range(40):
            screen = app.screen
            if not isinstance(screen, QuestionScreen):
                break
            assert screen.question is not None
            qid = screen.question.id
            await answer(pilot, qid, right=True)
            await pilot.press("enter")  # Good (recall: the suggestion is Good too)
            await settle(pilot)
            answered.append(qid)
        assert isinstance(app.screen, DoneScreen)
        assert "All done for today" in screen_text(pilot)
        assert "Next review due" in text_of(pilot, "#next-due")
        rows = logged(db_path)
        assert [r["qid"] for r in rows] == answered
        assert {r["mode"] for r in rows} == {"study"}
        assert all(r["rating"] == 3 for r in rows)
        assert app.engine.counts().total == 0
        await pilot.press("enter")
        assert isinstance(app.screen, HomeScreen)


async def test_undo_shows_the_question_again(app: TrainerApp, db_path: Path) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QuestionScreen) and screen.question is not None
        first = screen.question.id
        await answer(pilot, first, right=True)
        await pilot.press("enter")
        await settle(pilot)
        assert len(logged(db_path)) == 1
        assert screen.question is not None and screen.question.id != first
        await pilot.press("u")
        await settle(pilot)
        assert logged(db_path) == []
        assert screen.question is not None and screen.question.id == first
        assert not screen.submitted
        assert app.engine.card_info(first).state == "new"
        await pilot.press("u")  # nothing left to undo in this session
        await settle(pilot)
        assert screen.question.id == first


async def test_flag_is_saved_and_shown(app: TrainerApp, db_path: Path) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QuestionScreen) and screen.question is not None
        qid = screen.question.id
        if screen.question.type == "true_false":  # f answers False there; flag after submitting
            await answer(pilot, qid, right=True)
        await pilot.press("f")
        await settle(pilot)
        assert flagged_in_db(db_path, qid)
        assert "Flagged" in text_of(pilot, "#question-header")
        await pilot.press("f")
        await settle(pilot)
        assert not flagged_in_db(db_path, qid)


async def test_escape_pauses_and_r_resumes_practice(app: TrainerApp, db_path: Path) -> None:
    bank = app.engine.bank
    questions = [bank.question("mini-q-single"), bank.question("mini-q-true-false")]
    async with app.run_test(size=(80, 24)) as pilot:
        app.start_practice(questions, 1, "")
        await settle(pilot)
        await answer(pilot, "mini-q-single", right=True)
        await pilot.press("enter", "escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "Resume" in screen_text(pilot)
        await pilot.press("r")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QuestionScreen)
        assert screen.question is not None and screen.question.id == "mini-q-true-false"
        assert "1 of 2 done" in text_of(pilot, "#left")


async def test_practice_from_setup_with_filter(app: TrainerApp, db_path: Path) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, PracticeSetupScreen)
        # Untick the first topic (procedure): only the risks questions remain.
        await pilot.press("space", "s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QuestionScreen)
        seen = []
        while isinstance(app.screen, QuestionScreen):
            q = app.screen.question
            assert q is not None
            seen.append(q.id)
            await answer(pilot, q.id, right=False)
            await pilot.press("enter")
            await settle(pilot)
        assert sorted(seen) == ["mini-q-multiple", "mini-q-true-false"]
        assert "Practice finished" in screen_text(pilot)
        assert {r["mode"] for r in logged(db_path)} == {"practice"}
        # Now "missed" finds exactly those two.
        missed = app.engine.practice_questions(None, "missed")
        assert sorted(q.id for q in missed) == seen and len(seen) == 2


async def test_exam_end_to_end(app: TrainerApp, db_path: Path) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("enter")  # the default size (all 6 of the mini bank)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExamScreen)
        state = screen.session
        assert len(state.questions) == 6
        assert "Time left 09:00" in text_of(pilot, "#exam-status")  # 90 s a question
        # Enter keeps the answer and moves on, and the footer says so (not "Submit").
        assert screen.active_bindings["enter"].binding.description == "Keep"
        await pilot.press("m")
        await settle(pilot)
        assert state.questions[0].id in state.marked
        assert "Marked for review" in text_of(pilot, "#question-header")
        for index, q in enumerate(state.questions):
            assert state.index == index
            right = q.id != "mini-q-multiple"  # one wrong on purpose
            if q.type == "recall":
                await pilot.press("space", "k")
                if index + 1 < len(state.questions):
                    await pilot.press("n")
            elif q.type == "order":
                await put_steps_in_order(pilot)
                await pilot.press("enter")
            elif q.type == "cloze":
                await type_blanks(pilot, CLOZE_RIGHT)
                await pilot.press("enter")
            else:
                await answer(pilot, q.id, right)
            await settle(pilot)
        if state.questions[-1].type == "recall":
            await pilot.press("ctrl+s")
            await settle(pilot)
        assert logged(db_path) == []  # no feedback, nothing logged before submitting
        # Go back one question and forward again: answers are kept.
        await pilot.press("n")  # answers the confirmation "no"
        await settle(pilot)
        assert isinstance(app.screen, ExamScreen)
        await pilot.press("left")
        await settle(pilot)
        assert state.index == len(state.questions) - 2
        assert state.answered_count() == 6
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, ExamResultScreen)
        assert "Exam result: 5 of 6 right" in text_of(pilot, "#exam-score")
        text = screen_text(pilot)
        for q in state.questions:
            assert q.explanation in text
        rows = logged(db_path)
        assert len(rows) == 6 and {r["mode"] for r in rows} == {"exam"}
        results = app.engine.exam_results()
        assert len(results) == 1 and len(results[0].correct_ids) == 5
        assert results[0].by_topic == {"procedure": (4, 4), "risks": (1, 2)}
        # Exam answers leave the schedule alone.
        assert all(info.state == "new" for info in app.engine.all_card_info().values())


async def test_exam_pauses_and_resumes_with_answers_kept(app: TrainerApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e")
        await settle(pilot)
        app.screen.query_one("#exam-size", Input).value = "3"
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExamScreen)
        state = screen.session
        assert len(state.questions) == 3
        await pilot.press("m", "escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "exam, 0 of 3 answered" in screen_text(pilot)
        await pilot.press("r")
        await settle(pilot)
        resumed = app.screen
        assert isinstance(resumed, ExamScreen) and resumed.session is state
        assert state.questions[0].id in state.marked
        assert app.engine.exam_results() == []


async def exam_at(pilot: Pilot[None], qtype: str) -> ExamScreen:
    """Start an exam and go forward to its first question of ``qtype``."""
    await pilot.press("e", "enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ExamScreen)
    while screen.session.current.type != qtype:
        await pilot.press("enter" if screen.session.current.type == "cloze" else "n")
        await settle(pilot)
    return screen


async def test_exam_footer_shows_every_exam_key_on_an_ordering_question(app: TrainerApp) -> None:
    """The ordering widget's "move" must not hide the exam's Next/Previous, and all fits in 80."""
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await exam_at(pilot, "order")
        keys = list(screen.query("FooterKey"))
        shown = [str(getattr(k, "description", "")) for k in keys]
        for wanted in ("Move up", "Keep", "Next", "Previous", "Mark", "Finish", "Home"):
            assert wanted in shown, shown
        assert max(k.region.right for k in keys) <= 80


async def test_exam_confirmation_names_a_recall_left_without_k_or_d(app: TrainerApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await exam_at(pilot, "recall")
        number = screen.session.index + 1
        await pilot.press("space", "ctrl+s")  # revealed, but neither k nor d
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert f"Recall not marked k or d (counted as not known): {number}." in screen_text(pilot)


async def test_exam_arrows_leave_a_cloze_blank_at_its_edges(app: TrainerApp) -> None:
    """In an exam, Right at the end of the last blank goes to the next question and Left at the
    start of the first blank goes back; inside a blank the arrows still move the cursor."""
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await exam_at(pilot, "cloze")
        index = screen.session.index
        blanks = len(screen.session.current.blanks)
        for _ in range(blanks - 1):
            await pilot.press("tab")
        await pilot.press("a", "b", "left")
        await settle(pilot)
        assert screen.session.index == index  # the cursor moved inside the blank
        await pilot.press("right", "right")
        await settle(pilot)
        assert screen.session.index == index + 1
        await pilot.press("p")
        await settle(pilot)
        assert screen.session.index == index
        await pilot.press("left")
        await settle(pilot)
        assert screen.session.index == index - 1
