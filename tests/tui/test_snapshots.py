"""What the screens look like (pytest-textual-snapshot), with a fixed clock and seed, no blink.

Regenerate after a deliberate change: pytest tests/tui --snapshot-update, then LOOK at the SVGs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest
from textual.pilot import Pilot

from trainer.engine import Rating
from trainer.sessions import ExamSession, Kept
from trainer.tui.app import TrainerApp
from trainer.tui.screens.exam import ExamScreen

from .conftest import SEED, AppFactory, Clock
from .helpers import answer, settle

SMALL = (80, 24)
LARGE = (120, 40)
SnapCompare = Callable[..., bool]
RunBefore = Callable[[Pilot[None]], Awaitable[None]]

# (question, answered right?) for the "after answering" snapshots
AFTER = {
    "mini-q-single": False,
    "mini-q-multiple": False,
    "mini-q-true-false": True,
    "mini-q-order": False,
    "mini-q-cloze": False,
    "mini-q-recall": True,
}


def practise(qid: str, *, submit: bool) -> RunBefore:
    async def run_before(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, TrainerApp)
        app.start_practice([app.engine.bank.question(qid)], 1, "")
        await settle(pilot)
        if submit:
            await answer(pilot, qid, AFTER[qid])
            await settle(pilot)

    return run_before


def with_history(app: TrainerApp, clock: Clock) -> None:
    """A few days of answers so stats and home have something to show."""
    engine = app.engine
    start = clock.now
    for day in range(3):
        for q in engine.bank.active_questions[: 3 + day]:
            if q.type == "recall":
                engine.answer(q.id, Rating.GOOD, response=None, duration_ms=1000)
                continue
            response = {
                "single": 0,
                "multiple": frozenset({0, 1}),
                "true_false": True,
            }.get(q.type)
            if response is None:
                continue
            engine.answer(q.id, Rating.GOOD, response=response, duration_ms=1000)
        clock.advance(timedelta(days=1))
    clock.now = start + timedelta(days=3)


SIZES = pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "120x40"])


@SIZES
def test_home(
    snap_compare: SnapCompare, new_app: AppFactory, clock: Clock, size: tuple[int, int]
) -> None:
    app = new_app()
    with_history(app, clock)
    assert snap_compare(app, terminal_size=size)


@SIZES
@pytest.mark.parametrize("qid", list(AFTER))
def test_question_before(
    snap_compare: SnapCompare, new_app: AppFactory, qid: str, size: tuple[int, int]
) -> None:
    assert snap_compare(new_app(), terminal_size=size, run_before=practise(qid, submit=False))


@SIZES
@pytest.mark.parametrize("qid", list(AFTER))
def test_question_after(
    snap_compare: SnapCompare, new_app: AppFactory, qid: str, size: tuple[int, int]
) -> None:
    assert snap_compare(new_app(), terminal_size=size, run_before=practise(qid, submit=True))


async def _finished_exam(pilot: Pilot[None]) -> None:
    app = pilot.app
    assert isinstance(app, TrainerApp)
    questions = app.engine.exam_questions(6, SEED)
    session = ExamSession.start(app.db.engine, list(questions), SEED)
    responses = {
        "mini-q-single": 1,
        "mini-q-multiple": frozenset({0, 1}),
        "mini-q-true-false": True,
        "mini-q-order": (0, 1, 3, 2, 4),
        "mini-q-cloze": ("fluoroscopy", "stimulation"),
    }
    for q in questions:
        if q.id in responses:
            session.keep(Kept(responses[q.id], complete=True))
        else:
            session.reveal()
            session.knew(True)
        session.go(1)
    app.show_session(session)
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, ExamScreen)
    screen.run_db("submit", session.submit)
    await settle(pilot)


@SIZES
def test_exam_end(snap_compare: SnapCompare, new_app: AppFactory, size: tuple[int, int]) -> None:
    assert snap_compare(new_app(), terminal_size=size, run_before=_finished_exam)


@SIZES
def test_browse(
    snap_compare: SnapCompare, new_app: AppFactory, clock: Clock, size: tuple[int, int]
) -> None:
    app = new_app()
    with_history(app, clock)

    async def open_browse(pilot: Pilot[None]) -> None:
        await pilot.press("b")
        await settle(pilot)  # the cards read and the rows built, in workers

    assert snap_compare(app, terminal_size=size, run_before=open_browse)


@SIZES
def test_stats(
    snap_compare: SnapCompare, new_app: AppFactory, clock: Clock, size: tuple[int, int]
) -> None:
    app = new_app()
    with_history(app, clock)

    async def open_stats(pilot: Pilot[None]) -> None:
        await pilot.press("t")
        await settle(pilot)  # the numbers, read in the database worker
        await pilot.app.workers.wait_for_complete()  # the workload simulation
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=open_stats)


@SIZES
def test_settings(snap_compare: SnapCompare, new_app: AppFactory, size: tuple[int, int]) -> None:
    async def open_settings(pilot: Pilot[None]) -> None:
        await pilot.press("comma")
        await settle(pilot)  # the cards, read in the database worker
        await pilot.app.workers.wait_for_complete()  # the workload beside the retention
        await pilot.pause()

    assert snap_compare(new_app(), terminal_size=size, run_before=open_settings)
