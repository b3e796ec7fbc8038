"""Study days at their edges: every instant lies inside its own study day, even where a zone's
daylight-saving change falls at the rollover hour or a zone skips a date."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from trainer.engine.days import day_bounds, elapsed_days, study_day

ROOT = Path(__file__).resolve().parents[2]


def _minutes(start: datetime, hours: int, step: int = 5) -> list[datetime]:
    return [start + timedelta(minutes=m) for m in range(0, hours * 60, step)]


@pytest.mark.parametrize(
    ("zone", "start"),
    [
        ("America/New_York", datetime(2030, 3, 9, tzinfo=UTC)),
        ("America/New_York", datetime(2030, 11, 2, tzinfo=UTC)),
        ("Australia/Lord_Howe", datetime(2030, 4, 5, tzinfo=UTC)),
        ("Australia/Lord_Howe", datetime(2030, 10, 5, tzinfo=UTC)),
        ("Pacific/Apia", datetime(2011, 12, 28, tzinfo=UTC)),
    ],
)
def test_every_instant_lies_in_its_own_study_day(zone: str, start: datetime) -> None:
    tz = ZoneInfo(zone)
    for t in _minutes(start, 72):
        begin, end = day_bounds(t, 4, tz)
        assert begin <= t < end, (zone, t)
        assert study_day(begin, 4, tz) == study_day(t, 4, tz)


def test_a_skipped_date_counts_answers_on_the_next_day() -> None:
    # Samoa skipped 30 December 2011: its study day has no length, so an answer made while the
    # wall clock read "30 December" (it never did) or just after goes to the 31st, never nowhere.
    tz = ZoneInfo("Pacific/Apia")
    days = {study_day(t, 4, tz) for t in _minutes(datetime(2011, 12, 29, 12, tzinfo=UTC), 48)}
    assert date(2011, 12, 30) not in days
    assert date(2011, 12, 31) in days


CHILD = """
from datetime import UTC, datetime, timedelta
from trainer.engine.days import day_bounds
bad = 0
for start in (datetime(2030, 3, 9, tzinfo=UTC), datetime(2030, 11, 2, tzinfo=UTC)):
    for m in range(0, 72 * 60, 5):
        t = start + timedelta(minutes=m)
        begin, end = day_bounds(t, 4, None)
        bad += not (begin <= t < end)
print(bad)
"""


def test_machine_zone_switching_at_the_rollover_hour() -> None:
    # A POSIX rule whose changes happen at 04:00, the rollover hour: before the fix, for an hour
    # after the spring change the current time lay outside its own study day (nothing to study).
    env = dict(os.environ, TZ="EST+5EDT,M3.2.0/4,M11.1.0/4", PYTHONPATH=str(ROOT))
    out = subprocess.run(
        [sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "0"


def test_elapsed_days_across_a_spring_change() -> None:
    tz = ZoneInfo("America/New_York")
    last = datetime(2030, 3, 9, 20, tzinfo=UTC)  # 15:00 on the 9th
    now = datetime(2030, 3, 10, 14, tzinfo=UTC)  # 10:00 on the 10th, after the change
    assert elapsed_days(last, now, 4, tz) == 1
