"""A long session leaves nothing behind: the widgets of answered questions are released.

Not timed (bench/bench_tmux.py measures the speed and the memory); this counts the live widgets
after a collection, answer after answer, through the real keys, every question type included.
The keys are worked out from the screen's own reference to its answer widget: a ``query_one``
here would keep every answer widget alive in the screen's query cache (Textual's, up to 1024).
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from textual.pilot import Pilot
from textual.widget import Widget

from trainer import gcpause
from trainer.tui.app import TrainerApp
from trainer.tui.formatting import letter
from trainer.tui.screens.question import QuestionScreen
from trainer.tui.widgets.choice_answer import ChoiceAnswer

from .helpers import CHOICES, TRUE_FALSE_KEYS, answer, settle

ROUNDS = 4  # every mini-bank question this many times (6 types: 24 answers)


@contextmanager
def widgets_created() -> Iterator[weakref.WeakSet[Widget]]:
    """Every widget created meanwhile, held weakly."""
    created: weakref.WeakSet[Widget] = weakref.WeakSet()
    init = Widget.__init__

    def counted(self: Widget, *args: object, **kwargs: object) -> None:
        created.add(self)
        init(self, *args, **kwargs)  # type: ignore[arg-type]

    Widget.__init__ = counted  # type: ignore[method-assign]
    try:
        yield created
    finally:
        Widget.__init__ = init  # type: ignore[method-assign]


async def answer_shown(pilot: Pilot[None], screen: QuestionScreen, qid: str, right: bool) -> None:
    """Answer the question on screen; the order question is always answered as shuffled."""
    if qid in CHOICES:
        widget = screen._answer
        assert isinstance(widget, ChoiceAnswer)
        keys = [letter(widget.order.index(i)).lower() for i in CHOICES[qid][0 if right else 1]]
        await pilot.press(*keys, "enter")
        await settle(pilot)
    elif qid == "mini-q-true-false":
        await pilot.press(*TRUE_FALSE_KEYS[0 if right else 1], "enter")
        await settle(pilot)
    else:
        await answer(pilot, qid, right=right and qid != "mini-q-order")


def alive(created: weakref.WeakSet[Widget]) -> int:
    gc.collect()
    return len(created)


async def test_the_live_widget_count_stays_flat_over_a_long_session(app: TrainerApp) -> None:
    bank = app.engine.bank
    questions = list(bank.active_questions)
    with widgets_created() as created:
        async with app.run_test(size=(100, 30)) as pilot:
            app.start_practice(questions * ROUNDS, 1, "")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, QuestionScreen)
            counts: list[int] = []
            kinds: set[str] = set()
            for n in range(len(questions) * ROUNDS):
                question = screen.question
                assert question is not None
                kinds.add(question.type)
                await answer_shown(pilot, screen, question.id, right=n % 2 == 0)
                assert screen.submitted
                await pilot.press("enter")  # the suggested rating
                await settle(pilot)
                if screen.question is not None and screen.question.id == question.id:
                    continue  # practice showed it again at once: counted with the next one
                if n % len(questions) == len(questions) - 1 and screen.question is not None:
                    counts.append(alive(created))
            assert kinds == {q.type for q in questions}
            # each count is taken with the same question on screen (the practice order is seeded):
            # the same widgets are alive, none of the answered questions' (a cloze's two blanks
            # each time it was shown, before the fix in TextInput)
            assert len(counts) == ROUNDS - 1
            assert len(set(counts)) == 1, counts


SESSIONS = 6


async def test_notifications_over_many_sessions_leave_no_toast_or_screen_alive(
    app: TrainerApp,
) -> None:
    """As ``trainer`` runs (``freeze_heap``): the heap frozen once home is painted, the study
    screen's collector policy on. A toast on screen as each session's first question is painted,
    and more while it is up: once they are gone, a collection frees every one of them, and
    every session's screen. (The session screen froze the heap at its first question, which kept
    that toast, the screen and its first question's widgets alive for good: about one toast per
    session in bench/bench_tmux.py.)"""
    questions = list(app.engine.bank.active_questions)
    app.freeze_heap = True
    try:
        with widgets_created() as created:
            async with app.run_test(size=(100, 30), notifications=True) as pilot:
                await settle(pilot)
                for n in range(SESSIONS):
                    app.notify(f"Session {n}", timeout=0.5)
                    app.start_practice(questions, n, "")
                    await settle(pilot)
                    assert isinstance(app.screen, QuestionScreen)
                    assert app.screen._collector_policy
                    for k in range(2):  # more while it is up, each for a moment
                        app.notify(f"Notice {n}.{k}", timeout=0.2)
                        await pilot.pause(0.05)
                    await pilot.pause(0.6)  # the toasts expire and are removed
                    await pilot.press("escape")  # home; the session is kept (paused)
                    await settle(pilot)
                await pilot.pause(0.2)
                notices = app.recent_notices
                assert [m for m in notices if m.startswith("Session")] == [
                    f"Session {n}" for n in range(SESSIONS)
                ]
                assert sum(m.startswith("Notice") for m in notices) == 2 * SESSIONS
                gc.collect()
                toasts = [w for w in created if type(w).__name__ == "Toast"]
                screens = [w for w in created if isinstance(w, QuestionScreen)]
                assert len(toasts) <= 1, [t.render() for t in toasts]
                assert len(screens) <= 1, screens
    finally:
        gc.unfreeze()
        gcpause.automatic_full_collections(
            True
        )  # the test process's heap, frozen when home was painted


async def test_cleared_busy_notices_leave_no_toast_alive(app: TrainerApp) -> None:
    """The database's busy notice is cleared once the write is done (DbRunner.settled, with
    ``clear_notifications``): Textual removed each such toast but not its holder, which stayed in
    the rack and kept the toast alive (tui/toasts.py). The rack's display cache may keep the
    last one until its next layout: never more."""
    busy = 8
    with widgets_created() as created:
        async with app.run_test(size=(100, 30), notifications=True) as pilot:
            await settle(pilot)
            for _ in range(busy):
                app.db.pending += 1  # a write waiting for the database (DbRunner.run)
                app.db._maybe_busy()  # the notice it shows after BUSY_AFTER
                await pilot.pause()
                app.db.settled()  # written: the notice is cleared
                await pilot.pause()
            await pilot.pause(0.1)
            assert sum(m.startswith("Saving...") for m in app.recent_notices) == busy
            gc.collect()
            toasts = [w for w in created if type(w).__name__ == "Toast"]
            holders = [w for w in created if type(w).__name__ == "ToastHolder"]
            assert len(toasts) <= 1, toasts
            assert len(holders) <= 1, holders


async def test_moving_through_an_exam_lets_the_questions_it_left_go(app: TrainerApp) -> None:
    """The exam screen lets the widgets of the questions it leaves go, as the study screen does:
    no query_one cache entry keeps them (direct references) and Textual's StylesCache cache is
    cleared when a question is replaced (Textual #6665, forget_removed_styles)."""
    from textual._styles_cache import StylesCache

    from trainer.tui.screens.exam import ExamScreen
    from trainer.tui.widgets.answer_base import AnswerWidget

    questions = list(app.engine.bank.active_questions)
    with widgets_created() as created:
        async with app.run_test(size=(100, 30)) as pilot:
            app.start_exam(questions, 1)
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, ExamScreen)
            count = len(screen.session.questions)
            assert count >= 5
            cached: list[int] = []
            for _ in range(count - 1):
                screen.action_go(1)  # n (a cloze's blank would take the key itself)
                await settle(pilot)
                shown = len(list(screen.walk_children(with_self=True)))
                cached.append(StylesCache.get_inner_outer.cache_info().currsize - shown)
            assert screen.session.index == count - 1
            gc.collect()
            answers = [w for w in created if isinstance(w, AnswerWidget)]
            assert len(answers) == 1, answers  # the one on screen
            # no more entries than the widgets on screen: not those of the questions left
            assert max(cached) <= 0, cached


async def test_what_a_session_needs_is_made_and_frozen_once_home_is_painted(
    app: TrainerApp,
) -> None:
    """As ``trainer`` runs: once home is painted, the worker's engine makes the bank maps, the
    card cache and today's queue (a start tallies home without them), and they are frozen with
    what the start built, so a full collection during a session never scans them again (at 50k
    questions they were most of each per-question collection)."""
    app.freeze_heap = True
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            engine = app.db.engine
            assert engine._queue_memo is not None  # today's queue made, in the worker
            made = engine._maps.questions
            assert made and not any(o is made for o in gc.get_objects())  # frozen
            # frozen: automatic full passes are back (off from home's paint until then)
            assert gc.get_threshold()[2] == gcpause.FULL_COLLECTIONS_DEFAULT
            await pilot.press("s")
            await settle(pilot)
            assert isinstance(app.screen, QuestionScreen)
            screen = app.screen
            assert any(o is screen for o in gc.get_objects())  # a session's screen never is
    finally:
        gc.unfreeze()
        gcpause.automatic_full_collections(True)


async def test_a_session_started_before_the_warm_up_freezes_what_it_needs_once(
    app: TrainerApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``s`` pressed before the worker has made what sessions need (a trainee quick on the key,
    or the bench): it is frozen at that session's first question instead, once per run."""
    import time

    from trainer.tui import app as app_module

    app.freeze_heap = True
    freezes: list[str] = []
    real_freeze, real_warm = app_module.freeze_alive, app.db.engine.warm

    thresholds: list[int] = []

    def freeze(young_first: bool = False) -> None:
        freezes.append(type(app.screen).__name__)
        real_freeze(young_first)

    def slow_warm() -> None:
        time.sleep(0.3)  # still warming when s is pressed
        thresholds.append(gc.get_threshold()[2])  # while warming: no automatic full pass
        real_warm()

    monkeypatch.setattr(app_module, "freeze_alive", freeze)
    monkeypatch.setattr(app.db.engine, "warm", slow_warm)
    app.collect_after_start = True  # as run_app has it: the collector was paused for the start
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("s")
            await settle(pilot)
            assert isinstance(app.screen, QuestionScreen)
            assert thresholds == [gcpause.FULL_COLLECTIONS_OFF]
            assert gc.get_threshold()[2] == gcpause.FULL_COLLECTIONS_OFF  # the study screen's
            made = app.db.engine._maps.questions
            assert made and not any(o is made for o in gc.get_objects())  # frozen
            for _ in range(2):  # more sessions: nothing more is frozen
                await pilot.press("escape")
                await settle(pilot)
                await pilot.press("s", "n")  # start fresh if asked
                await settle(pilot)
                assert isinstance(app.screen, QuestionScreen)
            assert freezes == ["QuestionScreen"]
    finally:
        gc.unfreeze()
        gcpause.automatic_full_collections(True)
