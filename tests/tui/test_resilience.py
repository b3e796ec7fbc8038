"""What the trainee sees when the database is slow, unwritable or the app is quit mid-session.

The session rules themselves are unit-tested without Textual (tests/unit/test_sessions.py); these
check the screens: responsiveness under a held lock, the messages, and resuming after a restart.
"""

from __future__ import annotations

import asyncio
import sqlite3
import sys
import time
from pathlib import Path

import pytest

from trainer.tui.app import TrainerApp
from trainer.tui.screens.confirm import ConfirmScreen
from trainer.tui.screens.exam import ExamScreen
from trainer.tui.screens.home import HomeScreen
from trainer.tui.screens.practice_setup import PracticeSetupScreen
from trainer.tui.screens.question import QuestionScreen
from trainer.tui.widgets.choice_answer import ChoiceAnswer

from .conftest import AppFactory, logged
from .helpers import answer, choice_keys, screen_text, settle

sys.path.insert(0, str(Path(__file__).parents[1]))
from hostile_fs import read_only

LOCK_SECONDS = 5.0


async def test_a_held_write_lock_keeps_the_app_responsive_and_the_answer_lands_after(
    app: TrainerApp, db_path: Path
) -> None:
    bank = app.engine.bank
    async with app.run_test(size=(80, 24)) as pilot:
        app.start_practice(
            [bank.question("mini-q-single"), bank.question("mini-q-true-false")], 1, ""
        )
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QuestionScreen)
        blocker = sqlite3.connect(db_path, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")  # another program holds the write lock
        locked_at = time.monotonic()
        try:
            await pilot.press(*choice_keys(pilot, "mini-q-single", True), "enter")  # submit
            await asyncio.sleep(0.3)
            await pilot.pause()
            assert app.db.pending and app.db.busy_shown  # waiting, and saying so
            # keys pressed meanwhile are handled at once (kept, not lost): Enter will rate
            started = time.monotonic()
            await pilot.press("enter")
            assert time.monotonic() - started < 0.1
            assert logged(db_path) == []
            await asyncio.sleep(max(0.0, LOCK_SECONDS - (time.monotonic() - locked_at)))
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        await settle(pilot)
        # the answer landed once the lock was released, and the kept Enter rated it
        assert [(r["qid"], r["rating"]) for r in logged(db_path)] == [("mini-q-single", 3)]
        assert screen.question is not None and screen.question.id == "mini-q-true-false"
        assert not screen.submitted and not app.db.busy_shown


async def test_leaving_the_feedback_keeps_the_suggested_rating_and_says_so(
    app: TrainerApp, db_path: Path
) -> None:
    bank = app.engine.bank
    async with app.run_test(size=(80, 24)) as pilot:
        app.start_practice(
            [bank.question("mini-q-single"), bank.question("mini-q-true-false")], 1, ""
        )
        await settle(pilot)
        await answer(pilot, "mini-q-single", right=False)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert any("saved, rated Again (the suggested rating)" in n for n in app.recent_notices)
        assert [r["rating"] for r in logged(db_path)] == [1]
        assert "practice, 1 of 2 done" in screen_text(pilot)


async def test_quitting_keeps_a_paused_exam_which_the_next_start_resumes(
    new_app: AppFactory, db_path: Path
) -> None:
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExamScreen)
        session = screen.session
        first = session.current
        await answer(pilot, first.id, right=True) if first.type != "recall" else None
        await pilot.press("m")
        await settle(pilot)
        where, marked = session.index, set(session.marked)
        orders = {q.id: session.order_of(q.id) for q in session.questions}
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("q")
        await settle(pilot)
    assert app.return_code in (0, None)
    assert logged(db_path) == []  # nothing logged before the exam is submitted
    again = new_app()
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "Resume   exam, " in screen_text(pilot)
        await pilot.press("r")
        await settle(pilot)
        resumed = again.screen
        assert isinstance(resumed, ExamScreen)
        assert resumed.session.index == where and set(resumed.session.marked) == marked
        assert {q.id: resumed.session.order_of(q.id) for q in resumed.session.questions} == orders


async def test_the_quit_message_says_what_is_kept(app: TrainerApp) -> None:
    bank = app.engine.bank
    async with app.run_test(size=(80, 24)) as pilot:
        app.start_practice(
            [bank.question("mini-q-single"), bank.question("mini-q-true-false")], 1, ""
        )
        await settle(pilot)
        assert "practice, 0 of 2 done" in app.kept_note()
        await answer(pilot, "mini-q-single", right=True)
        await pilot.press("escape")
        await settle(pilot)
        assert app.kept_note() == "Kept for next time (press r to resume): practice, 1 of 2 done."


async def test_starting_a_new_practice_asks_before_replacing_the_paused_one(
    app: TrainerApp,
) -> None:
    bank = app.engine.bank
    async with app.run_test(size=(80, 24)) as pilot:
        app.start_practice(
            [bank.question("mini-q-single"), bank.question("mini-q-true-false")], 1, ""
        )
        await settle(pilot)
        await pilot.press("escape", "p")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "paused practice, 0 of 2 done" in screen_text(pilot)
        await pilot.press("n")  # resume it
        await settle(pilot)
        assert isinstance(app.screen, QuestionScreen)
        await pilot.press("escape", "p", "y")  # start new: the setup
        await settle(pilot)
        assert isinstance(app.screen, PracticeSetupScreen)


async def test_a_restart_in_the_middle_of_feedback_shows_the_same_feedback(
    new_app: AppFactory, db_path: Path
) -> None:
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QuestionScreen) and screen.question is not None
        qid = screen.question.id
        await answer(pilot, qid, right=True)
        order = screen.view.order if screen.view else ()
    # the app is gone (as after a crash) with the feedback on screen
    assert len(logged(db_path)) == 1
    again = new_app()
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(again.screen, ConfirmScreen)  # the paused study: resume or start anew
        await pilot.press("n")  # resume it
        await settle(pilot)
        screen = again.screen
        assert isinstance(screen, QuestionScreen) and screen.question is not None
        assert screen.question.id == qid and screen.submitted
        if screen.query(ChoiceAnswer):
            assert screen.query_one(ChoiceAnswer).order == list(order)
        await pilot.press("enter")
        await settle(pilot)
        assert len(logged(db_path)) == 1  # rated with the suggestion: still one entry


async def test_a_read_only_database_opens_with_study_and_exam_unavailable(
    new_app: AppFactory, db_path: Path
) -> None:
    new_app().engine.close()  # create it
    db_path.parent.joinpath("keep").write_text("")  # a folder to make read-only
    with read_only(db_path.parent):
        app = new_app()
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            text = screen_text(pilot)
            assert "Read-only:" in text and "Nothing will be saved" in text
            await pilot.press("s")
            await settle(pilot)
            assert isinstance(app.screen, HomeScreen)
            assert any("Study is not available" in n for n in app.recent_notices)
            await pilot.press("e")
            await settle(pilot)
            assert any("The exam is not available" in n for n in app.recent_notices)
            await pilot.press("p", "s")  # practice works, without saving
            await settle(pilot)
            assert isinstance(app.screen, QuestionScreen)
    assert logged(db_path) == []


@pytest.fixture(autouse=True)
def _fast_busy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing to change: the busy notice shows after 200 ms as in use."""


async def test_a_write_that_fails_later_keeps_the_answer_and_retries_on_request(
    app: TrainerApp, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from trainer.engine import TrainerDBError

    store = app.db.engine.store
    real = store.save_session
    failures: list[TrainerDBError] = []

    def flaky(*args: object, **kwargs: object) -> None:
        if failures:
            raise failures.pop()
        real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "save_session", flaky)
    bank = app.engine.bank
    async with app.run_test(size=(80, 24)) as pilot:
        app.start_practice([bank.question("mini-q-single")], 1, "")
        await settle(pilot)
        failures.append(TrainerDBError("The disk holding the database is full.", kind="full"))
        await answer(pilot, "mini-q-single", right=True)
        screen = app.screen
        assert isinstance(screen, QuestionScreen) and not screen.submitted
        assert any(n.startswith("Not saved: The disk") for n in app.recent_notices)
        assert logged(db_path) == []  # nothing half written; the choice is still on screen
        await pilot.press("enter")  # try again
        await settle(pilot)
        assert screen.submitted and [r["rating"] for r in logged(db_path)] == [3]


async def test_a_write_queued_behind_our_own_slow_read_says_no_other_program_is_busy(
    app: TrainerApp,
) -> None:
    """The busy notice says another program holds the database: a write that only waits for
    one of the app's own reads (the engine's warm-up at start, browse's rows) is not that."""
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        app.db.run(app, "slow-read", lambda: time.sleep(0.7), read=True)
        app.db.run(app, "write", lambda: "")
        await asyncio.sleep(0.5)  # past BUSY_AFTER (0.2 s): the write still waits
        await pilot.pause()
        assert app.db.pending == 2 and not app.db.busy_shown
        for _ in range(200):
            await asyncio.sleep(0.01)
            await pilot.pause()
            if not app.db.pending:
                break
        assert not app.db.pending and not app.db.busy_shown
        assert not any("busy" in n.message for n in app._notifications)
