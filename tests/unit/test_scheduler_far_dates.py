"""Clocks near the ends of what ``datetime`` holds (year 9990, 9999-12-31, year 1): intervals and
answers never raise OverflowError; due dates stop at LATEST_DUE (intervals shortened there, as Anki
caps them at its maximum interval); a clock past LATEST_NOW is taken as LATEST_NOW. Normal dates
schedule exactly as before (test_scheduler_fsrs and test_scheduler_anki are unchanged)."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "helpers"))
from engine_kit import MINI, Clock, answer, mini_bank, open_engine

from trainer import cli
from trainer.engine import Rating, Settings
from trainer.engine.scheduler import (
    EARLIEST_NOW,
    LATEST_DUE,
    LATEST_NOW,
    CardSchedule,
    preview,
    review,
    within_time,
)

YEAR_9990 = datetime(9990, 6, 1, 10, 0, tzinfo=UTC)
END = datetime.max.replace(tzinfo=UTC)
START = datetime.min.replace(tzinfo=UTC)


@pytest.mark.parametrize("fuzz", [False, True], ids=["no-fuzz", "fuzz"])
def test_a_review_card_at_year_9990_is_capped_at_the_latest_due_date(fuzz: bool) -> None:
    """Easy after Easy at year 9990 reaches intervals of decades: each answer still schedules,
    Hard <= Good <= Easy, and no due date passes LATEST_DUE (this raised OverflowError)."""
    settings = Settings(enable_fuzzing=fuzz)
    schedule = CardSchedule()
    now = YEAR_9990
    for n in range(12):
        shown = preview(schedule, now, settings, card_id=1, fuzz_seed=str(n))
        schedule = review(schedule, Rating.EASY, now, settings, card_id=1, fuzz_seed=str(n))
        assert schedule.due is not None and schedule.due <= LATEST_DUE
        assert shown[Rating.EASY] == schedule.due - min(now, LATEST_NOW)
        if schedule.state == "review" and n > 1:
            assert shown[Rating.HARD] <= shown[Rating.GOOD] <= shown[Rating.EASY]
        now = max(now, schedule.due)
    assert schedule.due > LATEST_DUE - timedelta(days=settings.maximum_interval)
    assert LATEST_DUE - schedule.due < timedelta(days=10)  # it reached the cap


def test_normal_dates_keep_the_settings_object_and_so_the_schedule() -> None:
    settings = Settings()
    assert within_time(settings, datetime(2026, 11, 29, tzinfo=UTC)) is settings
    assert within_time(settings, datetime(9800, 1, 1, tzinfo=UTC)) is settings
    near = within_time(settings, YEAR_9990)
    assert near.maximum_interval == (LATEST_DUE - YEAR_9990).days - 3
    assert near.learning_steps == settings.learning_steps  # minutes: nothing to shorten
    long_steps = Settings(learning_steps=(timedelta(days=5000),))
    capped = within_time(long_steps, YEAR_9990)
    assert capped.learning_steps[0] <= LATEST_DUE - YEAR_9990


@pytest.mark.parametrize("t", [END, END - timedelta(hours=1), START], ids=["max", "max-1h", "min"])
def test_the_engine_at_the_ends_of_time_answers_every_question(tmp_path: Path, t: datetime) -> None:
    """A clock at datetime.max (or min) is taken as LATEST_NOW (EARLIEST_NOW): study, intervals,
    practice, counts, stats and undo all work, and what is stored reads back."""
    clock = Clock(t)
    with open_engine(mini_bank(), tmp_path / "t.db", clock, enable_fuzzing=True) as engine:
        assert engine.now() == (LATEST_NOW if t > YEAR_9990 else EARLIEST_NOW)
        for rating in (Rating.GOOD, Rating.EASY, Rating.AGAIN, Rating.HARD):
            for q in engine.bank.questions:
                shown = engine.intervals(q.id)
                assert all(timedelta(0) < d <= LATEST_DUE - engine.now() for d in shown.values())
                answer(engine, q.id, rating)
                answer(engine, q.id, Rating.GOOD, mode="practice")
        engine.counts()
        engine.next_question()
        engine.overview()
        assert engine.stats().reviews > 0
        infos = engine.all_card_info()
        assert all(i.due is not None and i.due <= LATEST_DUE for i in infos.values())
        assert engine.undo() is not None


def test_reviews_import_of_answers_at_year_9990(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`trainer reviews import` reschedules from the history: answers logged at year 9990 used to
    end in an OverflowError traceback. `stats` reads the far due dates back."""
    db = tmp_path / "far.db"
    clock = Clock(YEAR_9990)
    with open_engine(mini_bank(), db, clock, enable_fuzzing=True) as engine:
        for _ in range(8):
            for q in engine.bank.questions:
                answer(engine, q.id, Rating.EASY)
            clock.advance(days=300)
    out = tmp_path / "revlog.csv"
    config = ["--config", str(tmp_path / "none.toml"), "--bank", str(MINI)]
    assert cli.main(["reviews", "export", str(out), "--db", str(db), *config]) == 0
    fresh = tmp_path / "fresh.db"
    assert cli.main(["reviews", "import", str(out), "--db", str(fresh), *config]) == 0
    assert "Imported 48 reviews" in capsys.readouterr().out
    for path in (db, fresh):
        assert cli.main(["stats", "--json", "--db", str(path), *config]) == 0
        assert '"reviews": 48' in capsys.readouterr().out
