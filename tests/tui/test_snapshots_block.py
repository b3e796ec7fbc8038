"""Snapshots of the screens changed for issue 15's study and exam parts: the exam setup, a timed
block's countdown, tutor mode's feedback, the rating bar after a wrong answer and after "I was
right", and the ctrl+c question.

Regenerate after a deliberate change: pytest tests/tui --snapshot-update, then LOOK at the SVGs.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot

from .conftest import AppFactory
from .helpers import answer, settle, type_blanks

SnapCompare = Callable[..., bool]
SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
BLOCK = ["mini-q-single", "mini-q-true-false", "mini-q-multiple"]


@SIZES
def test_exam_setup(snap_compare: SnapCompare, new_app: AppFactory, size: tuple[int, int]) -> None:
    async def opened(pilot: Pilot[None]) -> None:
        await pilot.press("e")
        await settle(pilot)

    assert snap_compare(new_app(), terminal_size=size, run_before=opened)


@SIZES
def test_timed_block(snap_compare: SnapCompare, new_app: AppFactory, size: tuple[int, int]) -> None:
    async def started(pilot: Pilot[None]) -> None:
        app = pilot.app
        app.start_exam([app.engine.bank.question(q) for q in BLOCK], 1, seconds=90)  # type: ignore[attr-defined]
        await settle(pilot)

    assert snap_compare(new_app(), terminal_size=size, run_before=started)


@SIZES
def test_tutor_feedback(
    snap_compare: SnapCompare, new_app: AppFactory, size: tuple[int, int]
) -> None:
    async def answered(pilot: Pilot[None]) -> None:
        app = pilot.app
        app.start_exam([app.engine.bank.question(q) for q in BLOCK], 1, tutor=True)  # type: ignore[attr-defined]
        await settle(pilot)
        await answer(pilot, app.screen.session.current.id, False)  # type: ignore[attr-defined]
        await settle(pilot)

    assert snap_compare(new_app(), terminal_size=size, run_before=answered)


@SIZES
def test_overridden_cloze(
    snap_compare: SnapCompare, new_app: AppFactory, size: tuple[int, int]
) -> None:
    async def overridden(pilot: Pilot[None]) -> None:
        app = pilot.app
        app.start_practice([app.engine.bank.question("mini-q-cloze")], 1, "")  # type: ignore[attr-defined]
        await settle(pilot)
        await type_blanks(pilot, ["Flouroscopyy", "stimulation"])
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)

    assert snap_compare(new_app(), terminal_size=size, run_before=overridden)


@SIZES
def test_ctrl_c_in_a_session(
    snap_compare: SnapCompare, new_app: AppFactory, size: tuple[int, int]
) -> None:
    async def asked(pilot: Pilot[None]) -> None:
        app = pilot.app
        app.start_practice([app.engine.bank.question("mini-q-single")], 1, "")  # type: ignore[attr-defined]
        await settle(pilot)
        await pilot.press("ctrl+c")
        await pilot.pause()

    assert snap_compare(new_app(), terminal_size=size, run_before=asked)


@SIZES
def test_practice_setup_counts(
    snap_compare: SnapCompare, new_app: AppFactory, size: tuple[int, int]
) -> None:
    async def opened(pilot: Pilot[None]) -> None:
        await pilot.press("p")
        await settle(pilot)  # the counts, read in the database worker

    assert snap_compare(new_app(), terminal_size=size, run_before=opened)


@SIZES
def test_exam_history(
    snap_compare: SnapCompare, new_app: AppFactory, size: tuple[int, int]
) -> None:
    async def two_exams(pilot: Pilot[None]) -> None:
        app = pilot.app
        for _ in range(2):
            app.start_exam([app.engine.bank.question(q) for q in BLOCK], 1)  # type: ignore[attr-defined]
            await settle(pilot)
            await answer(pilot, app.screen.session.current.id, True)  # type: ignore[attr-defined]
            await settle(pilot)
            await pilot.press("ctrl+s", "y")
            await settle(pilot)
            await pilot.press("escape")
            await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        app.clear_notifications()  # a busy notice on a slow machine
        await pilot.pause()

    assert snap_compare(new_app(), terminal_size=size, run_before=two_exams)
