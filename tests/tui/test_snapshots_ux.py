"""Snapshots of the screens changed for issue 15 outside the study screens: stats on a new
database and scrolled to the retention figure, a question opened from browse, browse sorted.

Regenerate after a deliberate change: pytest tests/tui --snapshot-update, then LOOK at the SVGs.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot

from .conftest import AppFactory, Clock
from .helpers import settle
from .test_snapshots import with_history

SnapCompare = Callable[..., bool]
SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])


def keys(*pressed: str) -> Callable[[Pilot[None]], object]:
    """Press each key, then wait for the database work and rows it started to be shown."""

    async def run_before(pilot: Pilot[None]) -> None:
        for key in pressed:
            await pilot.press(key)
            await settle(pilot)

    return run_before


async def _stats(pilot: Pilot[None]) -> None:
    await pilot.press("t")
    await settle(pilot)  # the numbers, read in the database worker
    await pilot.app.workers.wait_for_complete()  # the workload simulation
    await pilot.pause()


@SIZES
def test_stats_new_database(
    snap_compare: SnapCompare, new_app: AppFactory, size: tuple[int, int]
) -> None:
    assert snap_compare(new_app(), terminal_size=size, run_before=_stats)


@SIZES
def test_stats_retention_figure(
    snap_compare: SnapCompare, new_app: AppFactory, clock: Clock, size: tuple[int, int]
) -> None:
    app = new_app()
    with_history(app, clock)

    async def scrolled(pilot: Pilot[None]) -> None:
        await _stats(pilot)
        pilot.app.screen.query_one("#plot-retention").scroll_visible(animate=False, top=True)
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=scrolled)


@SIZES
def test_question_detail_from_browse(
    snap_compare: SnapCompare, new_app: AppFactory, clock: Clock, size: tuple[int, int]
) -> None:
    app = new_app()
    with_history(app, clock)
    assert snap_compare(app, terminal_size=size, run_before=keys("b", "enter"))


@SIZES
def test_browse_sorted_by_due(
    snap_compare: SnapCompare, new_app: AppFactory, clock: Clock, size: tuple[int, int]
) -> None:
    app = new_app()
    with_history(app, clock)
    assert snap_compare(app, terminal_size=size, run_before=keys("b", "o", "o", "s"))


@SIZES
def test_help(snap_compare: SnapCompare, new_app: AppFactory, size: tuple[int, int]) -> None:
    assert snap_compare(new_app(), terminal_size=size, press=["question_mark"])
