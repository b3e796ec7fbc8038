"""The trainee's day: it rolls over at ``day_starts_hour`` LOCAL time (4 am by default)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo


def _local(t: datetime, tz: tzinfo | None) -> datetime:
    return t.astimezone(tz) if tz is not None else t.astimezone()


def study_day(t: datetime, hour: int, tz: tzinfo | None) -> date:
    """The study day ``t`` falls in: times before ``hour`` o'clock belong to the day before."""
    return (_local(t, tz) - timedelta(hours=hour)).date()


def day_start(day: date, hour: int, tz: tzinfo | None) -> datetime:
    """When study day ``day`` begins, as a UTC datetime."""
    if tz is None:
        return datetime.combine(day, time(hour)).astimezone().astimezone(UTC)
    return datetime.combine(day, time(hour), tzinfo=tz).astimezone(UTC)


def day_bounds(t: datetime, hour: int, tz: tzinfo | None) -> tuple[datetime, datetime]:
    """(start, end) of the study day containing ``t``, in UTC."""
    day = study_day(t, hour, tz)
    return day_start(day, hour, tz), day_start(day + timedelta(days=1), hour, tz)
