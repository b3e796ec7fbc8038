"""Study statistics, computed from the cards and the review log. Pure.

Definitions:
- cards: active (not retired) cards by state; suspended cards are counted only under ``suspended``.
- due_now: unsuspended seen cards due at or before now; due_today: due before the day rolls over.
- forecast: unsuspended seen cards due on each of the next 30 study days (day 0 = today, overdue
  included).
- reviews_per_day: answers logged (any mode) on each of the last 30 study days, oldest first.
- true_retention: share of scheduled answers to cards in the review state that passed (not AGAIN).
- mean_retrievability: mean FSRS retrievability now of the seen, unsuspended cards.
- mastery (per topic, 0..1): the sum of the current retrievability of the topic's cards in the
  review state (learnt: graduated from learning and not lapsed) divided by the number of its cards.
  New, learning and relearning cards count as 0, so a topic is mastered only when all of it has been
  learnt and is still remembered; a question just failed is not counted as known.
- streak: consecutive study days, ending today (or yesterday if nothing was done yet today), with at
  least one answer logged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from trainer.bank.models import Bank
from trainer.engine.days import day_bounds, study_day
from trainer.engine.scheduler import Settings, retrievability
from trainer.engine.storage import CardRow, LogRow

FORECAST_DAYS = 30
HISTORY_DAYS = 30


@dataclass(frozen=True)
class TopicStats:
    cards: int
    new: int
    due: int  # due today
    mastery: float
    retention: float | None

    def to_dict(self) -> dict[str, object]:
        return {
            "cards": self.cards,
            "new": self.new,
            "due": self.due,
            "mastery": self.mastery,
            "retention": self.retention,
        }


@dataclass(frozen=True)
class Stats:
    bank_id: str
    bank_title: str
    generated: datetime
    reviews: int
    cards: dict[str, int]
    due_now: int
    due_today: int
    forecast: tuple[int, ...]
    reviews_per_day: tuple[tuple[str, int], ...]
    true_retention: float | None
    mean_retrievability: float | None
    by_topic: dict[str, TopicStats]
    streak: int
    mastery: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return {
            "bank": {"id": self.bank_id, "title": self.bank_title},
            "generated": self.generated.isoformat(),
            "reviews": self.reviews,
            "cards": dict(self.cards),
            "due_now": self.due_now,
            "due_today": self.due_today,
            "forecast": list(self.forecast),
            "reviews_per_day": [[d, n] for d, n in self.reviews_per_day],
            "true_retention": self.true_retention,
            "mean_retrievability": self.mean_retrievability,
            "by_topic": {t: s.to_dict() for t, s in self.by_topic.items()},
            "mastery": dict(self.mastery),
            "streak": self.streak,
        }


def _ratio(passed: int, total: int) -> float | None:
    return passed / total if total else None


def compute(
    bank: Bank,
    cards: Sequence[CardRow],
    log: Sequence[LogRow],
    now: datetime,
    settings: Settings,
) -> Stats:
    """``cards``: the bank's active cards; ``log``: all of its log entries."""
    hour, tz = settings.day_starts_hour, settings.tz
    today = study_day(now, hour, tz)
    _, day_end = day_bounds(now, hour, tz)
    topic_of = {q.id: bank.topic_of(q) for q in bank.questions}

    counts = {"new": 0, "learning": 0, "review": 0, "relearning": 0, "suspended": 0}
    due_now = due_today = 0
    forecast = [0] * FORECAST_DAYS
    r_values: list[float] = []
    topics: dict[str, dict[str, float]] = {
        t: {"cards": 0, "new": 0, "due": 0, "r_sum": 0.0, "passed": 0, "total": 0}
        for t in bank.topics
    }
    for row in cards:
        topic = topic_of.get(row.question_id, "unknown")
        t = topics.setdefault(
            topic, {"cards": 0, "new": 0, "due": 0, "r_sum": 0.0, "passed": 0, "total": 0}
        )
        t["cards"] += 1
        s = row.schedule
        if s.state == "new":
            t["new"] += 1
        if row.suspended:
            counts["suspended"] += 1
        else:
            counts[s.state] += 1
        r = retrievability(s, now, settings)
        if r is not None:
            if s.state == "review":
                t["r_sum"] += r
            if not row.suspended:
                r_values.append(r)
        if row.suspended or s.state == "new" or s.due is None:
            continue
        if s.due <= now:
            due_now += 1
        if s.due < day_end:
            due_today += 1
            t["due"] += 1
        offset = max(0, (study_day(s.due, hour, tz) - today).days)
        if offset < FORECAST_DAYS:
            forecast[offset] += 1

    first_day = today - timedelta(days=HISTORY_DAYS - 1)
    per_day: dict[date, int] = {first_day + timedelta(days=i): 0 for i in range(HISTORY_DAYS)}
    active_days: set[date] = set()
    passed = total = 0
    for e in log:
        d = study_day(e.time, hour, tz)
        active_days.add(d)
        if d in per_day:
            per_day[d] += 1
        if e.scheduled and e.state_before == "review":
            total += 1
            ok = int(e.rating > 1)
            passed += ok
            tt = topics.get(topic_of.get(e.question_id, ""))
            if tt is not None:
                tt["total"] += 1
                tt["passed"] += ok

    streak = 0
    day = today if today in active_days else today - timedelta(days=1)
    while day in active_days:
        streak += 1
        day -= timedelta(days=1)

    by_topic = {
        name: TopicStats(
            cards=int(t["cards"]),
            new=int(t["new"]),
            due=int(t["due"]),
            mastery=t["r_sum"] / t["cards"] if t["cards"] else 0.0,
            retention=_ratio(int(t["passed"]), int(t["total"])),
        )
        for name, t in topics.items()
    }
    return Stats(
        bank_id=bank.id,
        bank_title=bank.title,
        generated=now,
        reviews=len(log),
        cards=counts,
        due_now=due_now,
        due_today=due_today,
        forecast=tuple(forecast),
        reviews_per_day=tuple((d.isoformat(), n) for d, n in sorted(per_day.items())),
        true_retention=_ratio(passed, total),
        mean_retrievability=sum(r_values) / len(r_values) if r_values else None,
        by_topic=by_topic,
        streak=streak,
        mastery={name: s.mastery for name, s in by_topic.items()},
    )
