"""The trainee's day: it rolls over at ``day_starts_hour`` LOCAL time (4 am by default)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache


def _local(t: datetime, tz: tzinfo | None) -> datetime:
    return t.astimezone(tz) if tz is not None else t.astimezone()


def study_day(t: datetime, hour: int, tz: tzinfo | None) -> date:
    """The study day ``t`` falls in: times before ``hour`` o'clock belong to the day before.

    Always the day whose ``[day_start, next day_start)`` holds ``t``: where a daylight-saving change
    falls at the rollover hour (the wall clock jumps over ``hour``), or a zone skips a whole date
    (Pacific/Apia, 2011-12-30), the wall-clock guess is corrected, so no time lies outside its own
    study day and every answer counts on some day.
    """
    day = (_local(t, tz) - timedelta(hours=hour)).date()
    while t < day_start(day, hour, tz):
        day -= timedelta(days=1)
    while t >= day_start(day + timedelta(days=1), hour, tz):
        day += timedelta(days=1)
    return day


@lru_cache(maxsize=4096)
def day_start(day: date, hour: int, tz: tzinfo | None) -> datetime:
    """When study day ``day`` begins, as a UTC datetime.

    With ``tz`` None (the machine's zone) the result is cached per process: a change of the
    machine's zone while running shows from the next start."""
    if tz is None:
        return datetime.combine(day, time(hour)).astimezone().astimezone(UTC)
    return datetime.combine(day, time(hour), tzinfo=tz).astimezone(UTC)


def day_bounds(t: datetime, hour: int, tz: tzinfo | None) -> tuple[datetime, datetime]:
    """(start, end) of the study day containing ``t``, in UTC."""
    day = study_day(t, hour, tz)
    return day_start(day, hour, tz), day_start(day + timedelta(days=1), hour, tz)


DAY = timedelta(days=1)


def elapsed_days(last: datetime, now: datetime, hour: int, tz: tzinfo | None) -> int:
    """Study days from ``last`` to ``now``, counted as Anki counts them: 0 within one study day,
    otherwise how many day starts (today's, then 24-hour steps back from it) lie after ``last``.

    A review at 20:00 and the next at 08:00 the morning after are one day apart; one at 05:00 and
    one at 23:00 the same day are 0 days apart, although 18 hours passed.
    """
    start, _ = day_bounds(now, hour, tz)
    if last >= start:
        return 0
    return (start - last - timedelta(microseconds=1)) // DAY + 1


DAY_US = DAY // timedelta(microseconds=1)


def elapsed_days_us(last_us: int, start_us: int) -> int:
    """``elapsed_days`` in UTC microseconds, given the start of today's study day ``start_us``
    (day_bounds): 0 for a review since today's start, else the day starts crossed since it. The
    one formula of mastery's elapsed days (summary); ``elapsed_days_sql`` is the same in SQL."""
    return 0 if last_us >= start_us else (start_us - last_us - 1) // DAY_US + 1


def elapsed_days_sql(last: str, start: str) -> str:
    """``elapsed_days_us`` as an SQL expression of the integer columns or parameters ``last``
    and ``start``: the same values, since ``start - last - 1`` is never negative where it is
    divided, and SQLite's integer division then floors as Python's ``//`` does."""
    return f"(CASE WHEN {last} >= {start} THEN 0 ELSE ({start} - {last} - 1) / {DAY_US} + 1 END)"
