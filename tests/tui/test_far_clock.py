"""The app with a clock at the end of what datetime holds (9999-12-31): it studies, shows the
intervals on the rating row and records the rating (the engine takes the clock as LATEST_NOW)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from trainer.tui.app import TrainerApp
from trainer.tui.screens.question import QuestionScreen

from .conftest import Clock, logged
from .helpers import answer, settle, text_of


async def test_study_at_the_end_of_time_shows_intervals_and_records(
    app: TrainerApp, clock: Clock, db_path: Path
) -> None:
    clock.now = datetime.max.replace(tzinfo=UTC) - timedelta(hours=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, QuestionScreen) and app.screen.question is not None
        qid = app.screen.question.id
        await answer(pilot, qid, True)
        row = text_of(pilot, "#ratings")
        assert "Good 10m" in row
        await pilot.press("4")  # Easy
        await settle(pilot)
        assert [r["rating"] for r in logged(db_path, qid)] == [4]
