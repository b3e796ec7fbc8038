"""Browse, a question's detail, stats and settings never wait on the UI thread: while another
program holds the database's write lock, keys there are handled at once and the writes land
when it lets go; and `s` with a paused study session asks (resume it or start afresh)."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from textual.widgets import Input

from trainer.engine import Rating
from trainer.tui.app import TrainerApp
from trainer.tui.run import UI_LOCK_WAIT
from trainer.tui.screens.browse import BrowseScreen
from trainer.tui.screens.browse_table import BrowseTable
from trainer.tui.screens.confirm import ConfirmScreen
from trainer.tui.screens.home import HomeScreen
from trainer.tui.screens.question import QuestionScreen
from trainer.tui.screens.question_detail import QuestionDetailScreen
from trainer.tui.screens.settings import SettingsScreen
from trainer.tui.screens.stats import StatsScreen

from .helpers import answer, settle, text_of
from .test_browse import card

# Longer than the UI engine's own lock wait (UI_LOCK_WAIT), after which a write made on the UI
# thread gave up with "Not saved"; shorter than the workers' (dbwork.LOCK_WAIT).
LOCK_SECONDS = UI_LOCK_WAIT + 1.0
# seconds: a key that opens no screen, handled "at once": well under the UI's own lock wait (2 s,
# what a write on the UI thread would have waited), with room for a loaded 2-core machine (at
# 0.1 s these failed now and then even at a load of 0.3, on the code before and after)
PROMPT = 0.25


@contextmanager
def write_lock(db_path: Path) -> Iterator[float]:
    """Another program holds the write lock; yields when it took it."""
    blocker = sqlite3.connect(db_path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        yield time.monotonic()
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()


async def press_promptly(pilot: object, *keys: str) -> None:
    started = time.monotonic()
    await pilot.press(*keys)  # type: ignore[attr-defined]
    assert time.monotonic() - started < PROMPT * len(keys)


async def test_browse_and_detail_writes_wait_for_the_lock_without_freezing(
    app: TrainerApp, db_path: Path
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("b")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BrowseScreen)
        table = screen.query_one(BrowseTable)
        assert table.current_key == "mini-q-single"
        with write_lock(db_path) as locked_at:
            await press_promptly(pilot, "f")  # flag the first question: waits for the lock
            await asyncio.sleep(0.3)
            await pilot.pause()
            assert app.db.pending and app.db.busy_shown  # waiting, and saying so
            await press_promptly(pilot, "down")  # the table still moves
            assert table.current_key == "mini-q-multiple"
            await pilot.press("enter")  # and opens a question (the card is read once it can be)
            await pilot.pause()
            detail = app.screen
            assert isinstance(detail, QuestionDetailScreen) and detail.qid == "mini-q-multiple"
            await press_promptly(pilot, "s")  # suspend it: queued behind the flag
            await asyncio.sleep(max(0.0, LOCK_SECONDS - (time.monotonic() - locked_at)))
            await pilot.pause()
            assert card(db_path, "mini-q-single")[2] == 0  # nothing written yet
            assert not any("Not saved" in n for n in app.recent_notices)
        await settle(pilot)
        # both writes landed once the lock was released, in order, and the screens show them
        assert card(db_path, "mini-q-single")[2:4] == (1, 0)
        assert card(db_path, "mini-q-multiple")[2:4] == (0, 1)
        assert "Suspended" in text_of(pilot, "#detail-card")
        assert not any("Not saved" in n for n in app.recent_notices)
        assert not app.db.busy_shown
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, BrowseScreen)
        states = dict(zip(table.keys, (table.get_row_at(r) for r in range(3)), strict=False))
        assert "yes" in states["mini-q-single"] and "suspended" in states["mini-q-multiple"]


async def test_stats_and_a_retention_change_under_a_held_lock(
    app: TrainerApp, db_path: Path
) -> None:
    engine = app.engine
    for _ in range(3):
        engine.answer("mini-q-recall", Rating.GOOD, response=None, duration_ms=1)
    before = engine.card_info("mini-q-recall").due
    async with app.run_test(size=(100, 40)) as pilot:
        with write_lock(db_path) as locked_at:
            await pilot.press("t")
            await settle(pilot)  # reads are not held up by another program's write lock
            assert isinstance(app.screen, StatsScreen)
            assert "3 answers logged" in text_of(pilot, "#stats-summary")
            await pilot.press("escape", "comma")
            await settle(pilot)
            assert isinstance(app.screen, SettingsScreen)
            app.screen.query_one("#set-desired_retention", Input).value = "0.97"
            await pilot.pause()
            await press_promptly(pilot, "ctrl+s")  # saved; the cards wait for the lock
            await pilot.pause()
            assert "Rescheduling the cards" in text_of(pilot, "#settings-status")
            await press_promptly(pilot, "tab")  # the form still answers
            await asyncio.sleep(max(0.0, LOCK_SECONDS - (time.monotonic() - locked_at)))
            assert engine.card_info("mini-q-recall").due == before
        await settle(pilot)
        assert "1 cards rescheduled from their history" in text_of(pilot, "#settings-status")
        after = engine.card_info("mini-q-recall").due
        assert after is not None and before is not None and after < before


async def test_s_with_a_paused_study_asks_resume_or_start_afresh(app: TrainerApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await settle(pilot)
        first = app.screen
        assert isinstance(first, QuestionScreen) and first.question is not None
        session = first.session
        await answer(pilot, first.question.id, right=True)
        await pilot.press("enter")  # rated: one done
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen) and app.paused.get("study") is session
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)  # asked, not resumed behind the back
        await pilot.press("n")  # Resume it
        await settle(pilot)
        resumed = app.screen
        assert isinstance(resumed, QuestionScreen) and resumed.session is session
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("s", "y")  # Start new: a fresh session; the paused one is dropped
        await settle(pilot)
        fresh = app.screen
        assert isinstance(fresh, QuestionScreen) and fresh.session is not session
        assert app.paused.get("study") is None


async def test_a_study_session_starts_under_a_held_lock_and_keeps_the_keys_pressed_meanwhile(
    app: TrainerApp, db_path: Path
) -> None:
    """Starting a session writes nothing on the UI thread (StudySession.start only builds its
    state): the screen opens at once, and its first question, saved with the session as it is
    chosen, comes from the database worker once the lock is released, the keys pressed meanwhile
    kept and then replayed on it."""
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        with write_lock(db_path) as locked_at:
            await pilot.press("s")
            # the time to open a screen, not the lock's (a write on the UI thread would wait
            # UI_LOCK_WAIT, then fail)
            assert time.monotonic() - locked_at < 1.0
            screen = app.screen
            assert isinstance(screen, QuestionScreen)
            await asyncio.sleep(0.3)
            await pilot.pause()
            assert screen.busy and screen.question is None  # waiting for the lock
            await press_promptly(pilot, "f")  # flag it: kept until it is shown
            await asyncio.sleep(max(0.0, LOCK_SECONDS - (time.monotonic() - locked_at)))
            assert app.engine.saved_session("study") is None
            assert not any("Not saved" in n for n in app.recent_notices)
        await settle(pilot)
        question = screen.question
        assert question is not None and app.screen is screen
        assert screen.view is not None and screen.view.flagged  # the kept f, replayed
        assert app.engine.is_flagged(question.id)
        assert app.engine.saved_session("study") is not None
