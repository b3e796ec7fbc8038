"""Small pure helpers that turn engine values into short, readable text for the screens."""

from __future__ import annotations

from datetime import datetime, timedelta

from trainer.bank.models import letter

__all__ = ["letter"]  # the option labels, shared with the checks and the Anki export


def format_interval(delta: timedelta) -> str:
    """A compact interval: '1m', '10m', '3h', '4d', '2mo', '1.5y'."""
    seconds = max(0, int(delta.total_seconds()))
    if seconds < 60:
        return f"{seconds}s" if seconds else "now"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes}m"
    hours = minutes // 60
    if hours < 24:
        return f"{hours}h"
    days = round(seconds / 86400)
    if days < 31:
        return f"{days}d"
    if days < 365:
        return f"{round(days / 30.4)}mo"
    years = days / 365
    return f"{years:.1f}y".replace(".0y", "y")


def local(t: datetime) -> datetime:
    """``t`` in the trainee's local time zone (times are stored and computed in UTC)."""
    return t.astimezone()


def format_when(t: datetime) -> str:
    """A moment as the trainee reads it: local date and time, '2026-11-29 14:05'."""
    return f"{local(t):%Y-%m-%d %H:%M}"


def format_due(due: datetime | None, now: datetime) -> str:
    """When a card is due relative to now: 'new', 'now', 'in 3h', 'in 4d', or a date."""
    if due is None:
        return "-"
    if due <= now:
        return "now"
    delta = due - now
    if delta < timedelta(days=31):
        return "in " + format_interval(delta)
    return local(due).date().isoformat()


def format_duration(seconds: int) -> str:
    """An elapsed time as 'mm:ss' or 'h:mm:ss'."""
    seconds = max(0, seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes:02d}:{secs:02d}"


def percent(value: float | None) -> str:
    return "-" if value is None else f"{round(value * 100)}%"


def bar(value: float, width: int = 10) -> str:
    """A text bar for 0..1: '██████░░░░'."""
    value = min(1.0, max(0.0, value))
    filled = round(value * width)
    return "█" * filled + "░" * (width - filled)
